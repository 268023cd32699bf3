"""One module per problem family, each exporting ``FAMILY``; listed here in teaching order."""

from __future__ import annotations

from quizcalc.problems.families import (
    adam_step,
    bayes_rule,
    chain_rule,
    convexity,
    derivative,
    eigen_2x2,
    entropy_kl,
    epochs_iterations,
    expectation_variance,
    finite_difference,
    gd_steps,
    gradient,
    hessian_classify,
    jacobian,
    lr_divergence,
    lr_schedule,
    matrix_shapes,
    mlp_backprop,
    momentum,
    newton_step,
    partial,
    regression_gradient,
    sigmoid_bce,
    softmax_cross_entropy,
    vanishing_gradient,
    weight_decay,
)
from quizcalc.problems.family import Family

__all__ = ["ALL_FAMILIES"]

ALL_FAMILIES: tuple[Family, ...] = (
    derivative.FAMILY,
    partial.FAMILY,
    gradient.FAMILY,
    jacobian.FAMILY,
    hessian_classify.FAMILY,
    convexity.FAMILY,
    chain_rule.FAMILY,
    gd_steps.FAMILY,
    epochs_iterations.FAMILY,
    lr_divergence.FAMILY,
    momentum.FAMILY,
    finite_difference.FAMILY,
    newton_step.FAMILY,
    softmax_cross_entropy.FAMILY,
    sigmoid_bce.FAMILY,
    mlp_backprop.FAMILY,
    matrix_shapes.FAMILY,
    regression_gradient.FAMILY,
    adam_step.FAMILY,
    weight_decay.FAMILY,
    lr_schedule.FAMILY,
    vanishing_gradient.FAMILY,
    eigen_2x2.FAMILY,
    bayes_rule.FAMILY,
    expectation_variance.FAMILY,
    entropy_kl.FAMILY,
)
"""Every family, in the chapter's order (derivative → gradient → chain rule → … → momentum)."""
