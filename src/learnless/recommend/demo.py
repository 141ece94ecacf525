"""The recommend section of `learnless demo`: GTE on a synthetic user-item graph, beside ItemKNN and
(full run only) a briefly trained BPR-MF, plus the topological-closeness check."""

from __future__ import annotations

import time
import warnings


def run(quick: bool = False) -> list[dict]:
    from learnless.data import user_item_graph
    from learnless.demo import value
    from learnless.recommend import GTE, evaluate
    from learnless.recommend.baselines import BPRMF, ItemKNN
    from learnless.recommend.closeness import closeness_agreement

    n_users, n_items = (600, 400) if quick else (3000, 2000)
    data = user_item_graph(n_users, n_items, seed=0)
    rows = []
    models = [("GTE k=3 (no training)", GTE(3)), ("ItemKNN cosine", ItemKNN())]
    if not quick:
        models.append(("BPR-MF, 20 s budget", BPRMF(time_budget=20, patience=3)))
    gte = None
    for what, model in models:
        start = time.perf_counter()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            model.fit(data)
            m = evaluate(model, data, topk=(20,))
        if isinstance(model, GTE):
            gte = model
        rows.append({"capability": "recommend", "what": f"{what}, {n_users}x{n_items} synthetic",
                     "result": f"Recall@20 {m['recall@20']:.3f}  NDCG@20 {m['ndcg@20']:.3f}",
                     "values": [value("recall@20", m["recall@20"]), value("ndcg@20", m["ndcg@20"])],
                     "seconds": time.perf_counter() - start})
    start = time.perf_counter()
    agree = closeness_agreement(gte, n_users=20 if quick else 50, max_distance=3)
    rows.append({"capability": "recommend", "what": "GTE k=3 agrees with topological closeness (d<=3)",
                 "result": f"{agree['agreement']:.3f} of {agree['pairs']} item pairs",
                 "values": [value("closeness_agreement", agree["agreement"]), value("pairs", agree["pairs"])],
                 "seconds": time.perf_counter() - start})
    return rows
