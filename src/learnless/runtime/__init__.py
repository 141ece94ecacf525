"""Run directories, executors (local process pool / Ray; one with a pinned worker), seeding and progress
bars."""

from learnless.runtime.executor import Executor, LocalExecutor, RayExecutor, get_executor
from learnless.runtime.experiment import Experiment, config_key
from learnless.runtime.journal import Journal, JournalWarning
from learnless.runtime.pinned import PinnedExecutor
from learnless.runtime.progress import progress, track
from learnless.runtime.rundir import RunDir, write_json_atomic
from learnless.runtime.seed import seed_everything

__all__ = [
           "Executor",
           "Experiment",
           "Journal",
           "JournalWarning",
           "LocalExecutor",
           "PinnedExecutor",
           "RayExecutor",
           "RunDir",
           "config_key",
           "get_executor",
           "progress",
           "seed_everything",
           "track",
           "write_json_atomic",
]
