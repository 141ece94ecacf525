import os

import pytest

from learnless.errors import ConfigError
from learnless.runtime import LocalExecutor, get_executor
from tests.runtime.helpers import add_offset, fail_on_three, square, worker_pid


def test_inline_executor_preserves_order_and_passes_shared():
    with get_executor("local", workers=1) as ex:
        assert ex.map(square, range(6)) == [0, 1, 4, 9, 16, 25]
        assert ex.map(add_offset, [1, 2], shared={"offset": 10}) == [11, 12]


def test_process_pool_runs_in_other_processes_in_order():
    with LocalExecutor(workers=2) as ex:
        assert ex.map(square, range(10)) == [i * i for i in range(10)]
        assert ex.map(add_offset, range(4), shared={"offset": 100}) == [100, 101, 102, 103]
        assert os.getpid() not in set(ex.map(worker_pid, range(4)))


def test_worker_error_propagates():
    with LocalExecutor(workers=2) as ex, pytest.raises(ValueError, match="three"):
        ex.map(fail_on_three, range(5))


def test_bad_backend_and_workers_are_named():
    with pytest.raises(ConfigError, match="backend: unknown 'spark'"):
        get_executor("spark")
    with pytest.raises(ConfigError, match="workers must be >= 1"):
        LocalExecutor(0)
    with pytest.raises(ConfigError, match="--address is only meaningful with --backend ray"):
        get_executor("local", address="ray://x:1")


def test_ray_executor_on_a_local_two_cpu_cluster():
    pytest.importorskip("ray")
    os.environ["RAY_AUTH_MODE"] = "disabled"
    with get_executor("ray", workers=2) as ex:
        assert ex.workers == 2
        assert ex.map(square, range(8)) == [i * i for i in range(8)]
        seen = {}
        assert ex.map(add_offset, [1, 2, 3], shared={"offset": 5},
                      on_result=lambda i, r: seen.__setitem__(i, r)) == [6, 7, 8]
        assert seen == {0: 6, 1: 7, 2: 8}


def test_on_result_sees_every_item_as_it_finishes():
    for workers in (1, 2):
        seen: dict = {}
        with LocalExecutor(workers=workers) as ex:
            out = ex.map(square, range(5), on_result=seen.__setitem__)
        assert out == [0, 1, 4, 9, 16] and seen == dict(enumerate(out))
