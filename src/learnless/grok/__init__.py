"""The Li2 grokking lab (Tian, "Provable Scaling Laws of Feature Emergence from Learning Dynamics of Grokking",
arXiv 2509.21519): groups, the 2-layer model and its trainer with stage detection, the node energy and its
maxima, feature analysis and the sample-size scaling law."""

from learnless.grok.energy import EnergyAscent, energy, match_with_maxima
from learnless.grok.features import analyse_features, spectrum
from learnless.grok.groups import Group, Split, parse_group, split_pairs
from learnless.grok.model import GrokNet
from learnless.grok.scaling import fit_c, scaling_sweep
from learnless.grok.trainer import GrokTrainer

__all__ = [
           "EnergyAscent",
           "GrokNet",
           "GrokTrainer",
           "Group",
           "Split",
           "analyse_features",
           "energy",
           "fit_c",
           "match_with_maxima",
           "parse_group",
           "scaling_sweep",
           "spectrum",
           "split_pairs",
]
