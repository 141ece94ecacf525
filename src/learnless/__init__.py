"""learnless: good neural models, and an understanding of them, with as little training as possible."""

__version__ = "0.1.0"

from learnless.errors import LearnlessError

__all__ = ["LearnlessError", "__version__"]
