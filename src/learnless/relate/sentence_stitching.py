"""Sentence spaces: cross-space similarity and classifier stitching between all-MiniLM-L6-v2 embeddings and
mean GloVe vectors of the same sentences.

A head (LayerNorm -> 128 -> ReLU -> classes) is trained on one space's training sentences and applied to the
other space's test sentences. Relative heads read the cosine projection onto the same anchor sentences
(drawn from the training split per seed, embedded by each space); absolute heads read the raw vectors after
PCA to 50 dimensions, fitted on the own space's training split (GloVe is 50-d, MiniLM 384-d: without a
common width an absolute head could not even take the other space)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

SPACES = ("minilm", "glove")
KINDS = ("relative", "absolute")
NAMES = {"minilm": "MiniLM", "glove": "mean GloVe"}


def embed(dataset: str, out: str | Path, device: str = "cpu") -> Path:
    """Both spaces of the dataset's train and test sentences, cached in `out`/embeddings-DATASET.npz."""
    from learnless.relate.sentences import encode_minilm, load_sentences, mean_glove

    path = Path(out) / f"embeddings-{dataset}.npz"
    if path.exists():
        return path
    ttr, ytr, tte, yte, _ = load_sentences(dataset)
    arrays = {"y_train": ytr, "y_test": yte}
    arrays["minilm_train"], arrays["minilm_test"] = encode_minilm(ttr, device), encode_minilm(tte, device)
    arrays["glove_train"], arrays["glove_test"] = mean_glove(ttr)[0], mean_glove(tte)[0]
    path.parent.mkdir(parents=True, exist_ok=True)
    np.savez(path, **arrays)
    return path


def features(z_train, z_test, kind: str, anchor_idx, center: bool = False, width: int = 50):
    """(train, test) inputs of a head: relative -> cosine projection onto z_train[anchor_idx];
    absolute -> PCA to `width` dimensions fitted on z_train."""
    if kind == "relative":
        from learnless.relate.projection import RelativeProjection

        p = RelativeProjection(center=center).fit(z_train[anchor_idx])
        return p.transform(z_train), p.transform(z_test)
    from sklearn.decomposition import PCA

    pca = PCA(n_components=width, random_state=0).fit(z_train)
    return pca.transform(z_train).astype(np.float32), pca.transform(z_test).astype(np.float32)


def train_head(config: dict, seed: int) -> dict:
    """One head on one space (an Experiment unit): trains on the training split, saves the head and this
    space's test features (the stitching step feeds them to the other space's head)."""
    import torch

    from learnless.relate.anchors import sample_anchors
    from learnless.relate.stitching import make_head
    from learnless.runtime.seed import seed_everything

    seed_everything(seed)
    torch.set_num_threads(1)
    device = torch.device(config.get("device", "cpu"))
    z = np.load(config["embeddings"])
    space = config["space"]
    # the anchors: training sentences drawn by the seed, the same rows in both spaces
    anchor_idx = sample_anchors(np.zeros((len(z["y_train"]), 1)), config["anchors"], "uniform", seed=seed)
    xtr, xte = features(z[f"{space}_train"], z[f"{space}_test"], config["kind"], anchor_idx, config["center"])
    ytr, yte = z["y_train"], z["y_test"]
    xtr_t = torch.as_tensor(xtr, dtype=torch.float32, device=device)
    ytr_t = torch.as_tensor(ytr, device=device)
    head = make_head(xtr.shape[1], int(ytr.max()) + 1).to(device)
    opt = torch.optim.Adam(head.parameters(), lr=1e-3)
    gen = torch.Generator().manual_seed(seed)
    for _ in range(config["epochs"]):
        head.train()
        for batch in torch.randperm(len(xtr_t), generator=gen).split(128):
            batch = batch.to(device)
            loss = torch.nn.functional.cross_entropy(head(xtr_t[batch]), ytr_t[batch])
            opt.zero_grad()
            loss.backward()
            opt.step()
    head.eval()
    with torch.no_grad():
        pred = head(torch.as_tensor(xte, dtype=torch.float32, device=device)).argmax(1).cpu().numpy()
    path = Path(config["out"]) / f"head-{space}-{config['kind']}-seed{seed}.pt"
    path.parent.mkdir(parents=True, exist_ok=True)
    torch.save({"test_features": np.asarray(xte, dtype=np.float32),
                "head": {k: v.cpu() for k, v in head.state_dict().items()}}, path)
    return {"accuracy": float((pred == yte).mean()), "file": str(path)}


def run(dataset: str = "trec", seeds: int = 5, n_anchors: int = 300, epochs: int = 30, center: bool = False,
        out: str | Path = "runs/relate/sentences", device: str = "cpu", journal=None, executor=None,
        first_seed: int = 0) -> dict:
    """{"similarity", "stitching", "summary", "numbers"}: per seed, the cross-space similarity of the two
    spaces over all sentences (relative metrics and CKA; absolute retrieval needs equal widths) and, per
    kind and direction, the head of the target space on the source space's test sentences."""
    import torch

    from learnless.relate.metrics import compare_spaces
    from learnless.relate.stitching import head_accuracy
    from learnless.runtime import Experiment
    from learnless.runtime.experiment import ok_results

    emb = embed(dataset, out, device)
    z = np.load(emb)
    configs = [{"dataset": dataset, "space": sp, "kind": kind, "epochs": epochs, "center": center,
                "anchors": n_anchors, "embeddings": str(emb), "out": str(Path(out) / "heads"),
                **({"device": device} if device != "cpu" else {})}
               for sp in SPACES for kind in KINDS]
    from learnless.runtime.identity import fingerprint

    seed_range = range(first_seed, first_seed + seeds)
    records = Experiment(train_head, configs, seeds=seed_range, journal=journal, executor=executor,
                         data=fingerprint({k: z[k] for k in z.files}),
                         description=f"heads on {dataset}").run()
    heads = ok_results(records)
    similarity, stitching = [], []
    both = {sp: np.concatenate([z[f"{sp}_train"], z[f"{sp}_test"]]) for sp in SPACES}
    for s in seed_range:
        m = compare_spaces(both["minilm"], both["glove"], n_anchors=n_anchors, k=10, seed=s, center=center)
        similarity.append({"seed": s, **m})
        mine = {(h["space"], h["kind"]): torch.load(h["file"], weights_only=False) for h in heads
                if h["seed"] == s}
        own = {(h["space"], h["kind"]): h["accuracy"] for h in heads if h["seed"] == s}
        for kind in KINDS:
            for src in SPACES:
                for tgt in SPACES:
                    if (src, kind) not in mine or (tgt, kind) not in mine:
                        continue
                    acc = (own[(tgt, kind)] if src == tgt else
                           head_accuracy(mine[(tgt, kind)]["head"], mine[(src, kind)]["test_features"],
                                         z["y_test"]))
                    stitching.append({"seed": s, "kind": kind, "encoder": NAMES[src], "head": NAMES[tgt],
                                      "stitched": src != tgt, "accuracy": acc})
    summary, numbers = _summarise(stitching, similarity)
    return {"similarity": similarity, "stitching": stitching, "summary": summary, "numbers": numbers,
            "chance": float(np.bincount(z["y_test"]).max() / len(z["y_test"]))}


def _summarise(stitching: list[dict], similarity: list[dict]) -> tuple[list[dict], dict]:
    rows, numbers = [], {}
    for kind in KINDS:
        for tgt in SPACES:
            own = [r["accuracy"] for r in stitching if r["kind"] == kind and r["head"] == NAMES[tgt]
                   and not r["stitched"]]
            st = [r["accuracy"] for r in stitching if r["kind"] == kind and r["head"] == NAMES[tgt]
                  and r["stitched"]]
            if not own:
                continue
            src = next(s for s in SPACES if s != tgt)
            rows.append({"kind": kind if kind == "relative" else "absolute (PCA to 50-d)",
                         "head trained on": NAMES[tgt], "encoder at test": NAMES[src],
                         "non-stitched %": f"{100 * np.mean(own):.1f} ± {100 * np.std(own):.1f}",
                         "stitched %": f"{100 * np.mean(st):.1f} ± {100 * np.std(st):.1f}",
                         "worst seed %": f"{100 * np.min(st):.1f}", "seeds": len(st)})
            numbers[f"{kind}.{tgt}_head.non_stitched"] = float(np.mean(own))
            numbers[f"{kind}.{tgt}_head.stitched"] = float(np.mean(st))
    for key in ("relative.jaccard@10", "relative.mrr", "relative.cosine", "cka"):
        numbers[key] = float(np.mean([m[key] for m in similarity]))
        numbers[f"{key}.null"] = float(np.mean([m[f"{key}.null"] for m in similarity]))
    return rows, numbers
