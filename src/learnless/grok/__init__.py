"""The Li2 grokking lab (Tian, "Provable Scaling Laws of Feature Emergence from Learning Dynamics of
Grokking",
arXiv 2509.21519): groups, the 2-layer model and its trainer with stage detection, the node energy and its
maxima, the landscape with less data, feature analysis and the sample-size scaling law.

`learnless.grok.energy` is the energy module; the function computing a node's energy is `node_energy`."""

from learnless.grok.energy import EnergyAscent, closed_form_energy, match_with_maxima, node_energy
from learnless.grok.features import analyse_features, spectrum
from learnless.grok.groups import Group, Split, parse_group, split_pairs
from learnless.grok.landscape import critical_ratio, landscape
from learnless.grok.model import GrokNet
from learnless.grok.registry import ESTIMATORS
from learnless.grok.scaling import fit_c, scaling_sweep
from learnless.grok.trainer import GrokTrainer

__all__ = [
    "ESTIMATORS",
    "EnergyAscent",
    "GrokNet",
    "GrokTrainer",
    "Group",
    "Split",
    "analyse_features",
    "closed_form_energy",
    "critical_ratio",
    "fit_c",
    "landscape",
    "match_with_maxima",
    "node_energy",
    "parse_group",
    "scaling_sweep",
    "spectrum",
    "split_pairs",
]
