"""The CLI defers scipy.stats (imported by sklearn.base, used only inside functions) until it is used."""

import subprocess
import sys

SCRIPT = """
import sys
from learnless.cli.startup import defer_heavy_imports
defer_heavy_imports()
import sklearn.base
import scipy.stats
print(type(sys.modules["scipy.stats"]).__name__)
from scipy import stats
from scipy.stats import rankdata
print(stats.norm.cdf(0.0), rankdata([3, 1, 2]).tolist(), type(sys.modules["scipy.stats"]).__name__)
import scipy.stats.distributions as d
print(d.norm is scipy.stats.norm)
"""


def test_deferred_until_used_then_real():
    out = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, check=True).stdout
    lines = out.split("\n")
    assert lines[0] == "_Deferred"  # sklearn.base and `import scipy.stats` did not load it
    assert lines[1] == "0.5 [3.0, 1.0, 2.0] module"  # first use loads the real module in its place
    assert lines[2] == "True"


def test_already_imported_module_left_alone():
    script = (
        "import sys, scipy.stats; real = sys.modules['scipy.stats']\n"
        "from learnless.cli.startup import defer; defer('scipy.stats')\n"
        "print(sys.modules['scipy.stats'] is real, 'numpy' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "True True"


def test_defer_imports_nothing():
    script = (
        "import sys\nfrom learnless.cli.startup import defer_heavy_imports; defer_heavy_imports()\n"
        "print('numpy' in sys.modules, 'scipy' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False False"
