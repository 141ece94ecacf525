"""Where torch work runs: one check shared by every command that trains."""

from __future__ import annotations


def check_device(device: str) -> None:
    """ConfigError naming --device for anything but cpu, or cuda without a usable GPU."""
    from learnless.errors import ConfigError

    if device not in ("cpu", "cuda"):
        raise ConfigError(f"--device: must be cpu or cuda, got {device!r}")
    import torch

    if device == "cuda" and not torch.cuda.is_available():
        raise ConfigError(
            "--device cuda: torch.cuda.is_available() is False on this machine; use --device cpu"
        )
