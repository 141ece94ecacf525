"""Reconstruction stitching: autoencoders whose decoder reads the absolute latent or its relative
representation; the decoder of model B is fed model A's encodings of the test images."""

from __future__ import annotations

from pathlib import Path

import numpy as np


def train_autoencoder(config: dict, seed: int) -> dict:
    """One autoencoder (module level: an Experiment unit); saves test encodings + decoder weights."""
    import torch
    from torch import nn

    from learnless.relate.stitching import _space, load_images
    from learnless.runtime.seed import seed_everything

    seed_everything(seed)
    torch.set_num_threads(1)
    device = torch.device(config.get("device", "cpu"))
    xtr, _, xte, _ = load_images(config["dataset"])
    xtr_t, xte_t = torch.from_numpy(xtr).to(device), torch.from_numpy(xte).to(device)
    anchors = xtr_t[torch.from_numpy(np.asarray(config["anchor_idx"])).to(device)]
    relative = config["space"] == "relative"
    pixels = int(np.prod(xtr.shape[1:]))
    enc = nn.Sequential(nn.Flatten(), nn.Linear(pixels, 256), nn.ReLU(), nn.Linear(256, config["latent"]))
    width = len(config["anchor_idx"]) if relative else config["latent"]
    dec = nn.Sequential(
        nn.LayerNorm(width), nn.Linear(width, 256), nn.ReLU(), nn.Linear(256, pixels), nn.Sigmoid()
    )
    enc, dec = enc.to(device), dec.to(device)
    opt = torch.optim.Adam(list(enc.parameters()) + list(dec.parameters()), lr=1e-3)
    gen = torch.Generator().manual_seed(seed)
    for _ in range(config["epochs"]):
        for batch in torch.randperm(len(xtr_t), generator=gen).split(128):
            xb = xtr_t[batch.to(device)]
            loss = nn.functional.mse_loss(dec(_space(enc, xb, anchors, relative)), xb.flatten(1))
            opt.zero_grad()
            loss.backward()
            opt.step()
    enc.eval()
    dec.eval()
    with torch.no_grad():
        z = _space(enc, xte_t, anchors, relative)
        mse = float(nn.functional.mse_loss(dec(z), xte_t.flatten(1)))
    path = Path(config["out"]) / f"ae-{config['space']}-seed{seed}.pt"
    path.parent.mkdir(parents=True, exist_ok=True)
    torch.save({"latents": z.cpu().numpy(), "decoder": dec.cpu()}, path)
    return {"mse": mse, "file": str(path)}


def reconstruction(
    dataset: str = "digits",
    seeds: int = 3,
    n_anchors: int = 300,
    latent: int = 32,
    epochs: int = 30,
    out: str | Path = "runs/relate/reconstruction",
    journal=None,
    device: str = "cpu",
    executor=None,
    first_seed: int = 0,
) -> list[dict]:
    """Mean test MSE (per pixel, images in [0, 1]) non-stitched and stitched, per space, over the
    autoencoders of seeds first_seed .. first_seed + seeds - 1."""
    import torch

    from learnless.relate.anchors import sample_anchors
    from learnless.relate.stitching import load_images
    from learnless.runtime import Experiment
    from learnless.runtime.experiment import ok_results

    xtr, ytr, xte, _ = load_images(dataset)
    idx = sample_anchors(np.zeros((len(xtr), 1)), n_anchors, "stratified", labels=ytr, seed=0)
    configs = [
        {
            "dataset": dataset,
            "space": s,
            "latent": latent,
            "epochs": epochs,
            "anchor_idx": idx.tolist(),
            "out": str(Path(out) / "models"),
            **({"device": device} if device != "cpu" else {}),  # cpu keeps the journal keys of earlier runs
        }
        for s in ("absolute", "relative")
    ]
    from learnless.runtime.identity import fingerprint

    models = ok_results(Experiment(train_autoencoder, configs, seeds=range(first_seed, first_seed + seeds),
                                   journal=journal,
                                   data=fingerprint((xtr, ytr, xte)), executor=executor,
                                   description=f"autoencoders on {dataset}").run())
    target = torch.from_numpy(xte).flatten(1)
    rows = []
    for space in ("absolute", "relative"):
        mine = [m for m in models if m["space"] == space]
        loaded = [torch.load(m["file"], weights_only=False) for m in mine]
        stitched = []
        for i, a in enumerate(loaded):
            for j, b in enumerate(loaded):
                if i != j:
                    with torch.no_grad():
                        rec = b["decoder"](torch.from_numpy(a["latents"]))
                    stitched.append(float(torch.nn.functional.mse_loss(rec, target)))
        own = [m["mse"] for m in mine]
        rows.append(
            {
                "dataset": dataset,
                "space": space,
                "non-stitched MSE x1e3": f"{1e3 * np.mean(own):.2f} ± {1e3 * np.std(own):.2f}",
                "stitched MSE x1e3": f"{1e3 * np.mean(stitched):.2f} ± {1e3 * np.std(stitched):.2f}",
                "pairs": len(stitched),
            }
        )
    return rows
