"""quizcalc: spaced repetition for ML interview preparation."""

__version__ = "0.1.0"
