"""Memory known before work: the estimate an estimator states from its parameters and its inputs' shapes,
and the one-line refusal when it would not fit (the machine's available memory, or a budget).

The budget, in GiB, comes from the caller or from $LEARNLESS_MEMORY_BUDGET_GB (what the CLI's
--memory-budget sets); without one, the memory the kernel reports as available now."""

from __future__ import annotations

import os

from learnless.errors import ConfigError

BUDGET_ENV = "LEARNLESS_MEMORY_BUDGET_GB"


def available_memory() -> int | None:
    """Bytes of RAM the kernel reports as available (MemAvailable), or None where that is not known."""
    try:
        with open("/proc/meminfo") as fh:
            for line in fh:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    try:
        return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError, AttributeError):
        return None


def format_bytes(n: float) -> str:
    for unit in ("B", "KiB", "MiB", "GiB", "TiB", "PiB"):
        if n < 1024 or unit == "PiB":
            return f"{n:.1f} {unit}" if unit != "B" else f"{int(n)} B"
        n /= 1024
    return f"{n:.1f} PiB"  # pragma: no cover


def budget_bytes(budget_gb: float | None = None) -> tuple[int | None, str]:
    """(bytes allowed, where that limit comes from)."""
    if budget_gb is None and os.environ.get(BUDGET_ENV):
        try:
            budget_gb = float(os.environ[BUDGET_ENV])
        except ValueError:
            raise ConfigError(f"${BUDGET_ENV}: expected a number of GiB, "
                              f"got {os.environ[BUDGET_ENV]!r}") from None
    if budget_gb is not None:
        return int(float(budget_gb) * 2**30), f"--memory-budget of {format_bytes(float(budget_gb) * 2**30)}"
    free = available_memory()
    return free, f"{format_bytes(free)} available" if free is not None else "unknown"


def refuse_if_over(nbytes: int, what: str, budget_gb: float | None = None) -> None:
    """ConfigError naming the estimate when `nbytes` exceeds the budget (or the available memory)."""
    limit, source = budget_bytes(budget_gb)
    if limit is not None and nbytes > limit:
        raise ConfigError(f"{what}: needs ~{format_bytes(nbytes)} of memory, more than the {source}; "
                          "choose smaller parameters")
