"""Hardware measurement helpers: MACs/params by flop_counter, latency median/IQR/CV and its warning, and
the per-sub-network latency cache."""

import json
import random
import time
import warnings

import pytest
import torch
from torch import nn

from learnless.errors import ConfigError
from learnless.search.hardware import LatencyCache, count_macs_params, measure_latency
from tests.search.toy import Toy


class Sleeper(nn.Module):
    """A forward pass that sleeps: a fixed time, or a random one (to force scattered timings)."""

    def __init__(self, low, high=None, seed=0):
        super().__init__()
        self.low, self.high, self.rng = low, high, random.Random(seed)

    def forward(self, x):
        time.sleep(self.low if self.high is None else self.rng.uniform(self.low, self.high))
        return x


def test_macs_and_params_are_counted_by_flop_counter():
    lin = nn.Linear(10, 5)
    assert count_macs_params(lin, (1, 10)) == (50, 55)
    assert count_macs_params(lin, (4, 10))[0] == 200  # MACs scale with the batch
    conv = nn.Conv2d(3, 8, 3, padding=1, bias=False)  # 8 x 3 x 3 x 3 MACs per output pixel, 4 x 4 pixels
    assert count_macs_params(conv, (1, 3, 4, 4)) == (8 * 27 * 16, 8 * 27)


@pytest.mark.filterwarnings("ignore:latency timings scatter")  # sleep jitter on a loaded machine
def test_latency_is_the_median_after_warmup_with_iqr_and_threads_restored():
    threads = torch.get_num_threads()
    calls = []

    class Counting(Sleeper):
        def forward(self, x):
            calls.append(torch.get_num_threads())
            return super().forward(x)

    r = measure_latency(Counting(0.01), (3, 4), repeats=6, warmup=2, threads=1)
    assert len(calls) == 8 and set(calls) == {1}  # 2 warm-up + 6 timed passes, on 1 thread
    assert torch.get_num_threads() == threads
    assert 9.0 <= r["median_ms"] < 200 and r["q1_ms"] <= r["median_ms"] <= r["q3_ms"]
    assert r["iqr_ms"] == pytest.approx(r["q3_ms"] - r["q1_ms"])
    assert r["batch"] == 3 and r["repeats"] == 6 and r["threads"] == 1 and r["warmup"] == 2


def test_scattered_timings_warn_and_report_the_cv():
    with pytest.warns(RuntimeWarning, match="latency timings scatter"):
        r = measure_latency(Sleeper(0.001, 0.03), (1, 2), repeats=12, warmup=1)
    assert r["cv"] > 0.10
    with warnings.catch_warnings():  # a threshold above the spread: no warning
        warnings.simplefilter("error")
        measure_latency(Sleeper(0.001, 0.03), (1, 2), repeats=12, warmup=1, cv_warning=10.0)


@pytest.mark.parametrize("kw, what", [({"repeats": 1}, "repeats"), ({"warmup": -1}, "warm-up"),
                                      ({"threads": 0}, "threads")])
def test_bad_measurement_options_are_config_errors(kw, what):
    with pytest.raises(ConfigError, match=what):
        measure_latency(nn.Identity(), (1, 2), **kw)


class BuildableToy(Toy):
    """Toy with build(): a sub-network whose forward pass sleeps by its depth."""

    def __init__(self):
        super().__init__()
        self.builds = 0

    def build(self, config):
        self.builds += 1
        return Sleeper(0.001 * config["depth"])


def test_latency_cache_measures_each_sub_network_once_across_instances(tmp_path):
    path = tmp_path / "cache.jsonl"
    net = BuildableToy()
    cache = LatencyCache(net, path, input_shape=(1, 2), repeats=3, warmup=1)
    a = {"depth": 1, "a_0": 2, "a_1": 1, "a_2": 3, "a_3": 1}
    b = {**a, "a_1": 3, "a_3": 2}  # differs from a only in inactive slots: the same sub-network
    ra = cache.evaluate(a, ["score", "latency@cpu"])
    rb = cache.evaluate(b, ["latency@cpu"])
    assert net.builds == 1 and rb["latency@cpu"] == ra["latency@cpu"] and "score" in ra
    assert cache.space() == net.space() and cache.inactive(a) == net.inactive(a)  # protocol forwarded
    rec = json.loads(path.read_text().splitlines()[0])["value"]
    assert {"median_ms", "iqr_ms", "cv", "load_1min", "warned"} <= set(rec)
    again = LatencyCache(net, path, input_shape=(1, 2), repeats=3, warmup=1)  # a rerun reads the file
    assert again.evaluate(b, ["latency@cpu"]) == rb and net.builds == 1 and again.hits == 1
    with pytest.raises(ConfigError, match="no build"):
        LatencyCache(Toy(), tmp_path / "x.jsonl", input_shape=(1, 2))
