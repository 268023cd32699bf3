"""The names of the problem families, importable without loading any generator.

The daily queue (also run on the start-up fast path) and the card linter need to know which
families exist, but not their code; the registry checks it agrees with this list.
"""

from __future__ import annotations

__all__ = ["FAMILY_NAMES"]

FAMILY_NAMES: tuple[str, ...] = (
    "derivative",
    "partial",
    "gradient",
    "jacobian",
    "hessian_classify",
    "convexity",
    "chain_rule",
    "gd_steps",
    "epochs_iterations",
    "lr_divergence",
    "momentum",
    "finite_difference",
    "newton_step",
    "softmax_cross_entropy",
    "sigmoid_bce",
    "mlp_backprop",
    "matrix_shapes",
    "regression_gradient",
    "adam_step",
    "weight_decay",
    "lr_schedule",
    "vanishing_gradient",
    "eigen_2x2",
    "bayes_rule",
    "expectation_variance",
    "entropy_kl",
)
"""Every registered family, in teaching order (the chapter's order)."""
