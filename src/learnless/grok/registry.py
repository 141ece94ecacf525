"""The grok capability's estimators, by name (classes imported only when made)."""

from learnless.registry import Registry

ESTIMATORS = Registry("estimator", {
    "trainer": "learnless.grok.trainer:GrokTrainer",
    "energy": "learnless.grok.energy:EnergyAscent",
    "construct": "learnless.grok.construct:EnergyConstruction",
    "forecast": "learnless.grok.forecast:GrokForecaster",
}, capability="grok")
