"""Which problem families encompass which: the data behind implicit repetition.

A generated-problem card is a *skill*: one family at one difficulty. A family *encompasses*
another when its worked solution really performs the other's skill on the way to its own
answer: a two-layer network's backward pass multiplies local derivatives along a chain (the
``chain_rule`` skill), a momentum step takes a gradient-descent step inside its velocity
update (``gd_steps``). A passed review of the encompassing skill then counts as a fractional
review of each encompassed one (Math Academy's "fractional implicit repetition"), and a
failure whose named misconception belongs to a component makes that component due.

**Skill identity.** Edges are declared between families; credit and blame go to the
component family *at the same difficulty* as the skill reviewed (``mlp_backprop`` at 2 credits
``chain_rule`` at 2). An edge holds at the difficulties it lists (all three unless it says
otherwise): it lists a difficulty only when every instance of the encompassing family at that
difficulty performs the component's skill *as the component asks it at that difficulty*
(read from both builders and their worked solutions). ``convexity`` at 2 credits
``eigen_2x2`` at 2; ``convexity`` at 1 or 3 credits nothing.

**Weights.** An edge's weight, in (0, 1], is the share of a real review of the component that
one pass of the encompassing skill is worth: 1 would mean "as good as reviewing it", 0.5
"half a review". The weights leaving one family sum to at most :data:`MAX_TOTAL_WEIGHT`
(1.5): an encompassing skill may practise several components at once (more than one review's
worth in total), but a bound keeps one pass from silently retiring many skills. What a credit
can move is further capped by the scheduler (:mod:`quizcalc.scheduling.implicit`).

**Misconceptions.** Each edge lists the encompassing family's misconception tags that are a
slip in the component's skill (``forgot-activation-derivative`` in ``mlp_backprop`` is a
dropped link of the chain rule). Tags that are about the encompassing skill itself (Newton's
``inverted-ratio``) belong to no edge. An ambiguous tag is left out: ``gd_steps``'s
``forgot-factor-2`` is either the power rule's lost 2 or a halved step, so it blames nobody.

Families considered and given no edge, and why (so that adding one is a deliberate act):

Edges that hold at some difficulties only:

- ``convexity`` → ``eigen_2x2`` at difficulty 2 only: there the learner classifies the
  constant Hessian ``[[2a, b], [b, 2c]]`` of a two-variable quadratic as PSD, NSD or
  indefinite, which is ``eigen_2x2``'s definiteness question at 2 (integer entries, a diagonal
  of one sign that can mislead). Difficulty 1 is one variable (``f''``), difficulty 3 argues
  from pieces and witness points, and ``eigen_2x2`` at 3 asks irrational eigenvalues and the
  semidefinite case, which ``convexity`` at 3 never computes.
- ``weight_decay`` → ``adam_step`` at difficulty 3 only: there the learner takes two
  bias-corrected Adam (or AdamW) steps with the default betas, tracking ``m`` and ``v`` and
  correcting them at ``t = 2``; ``adam_step`` at 3 asks the same two-step update (with other
  betas and the second gradient taken at the new point, hence the weight below one half).
  ``weight_decay`` at 2 takes a single Adam step, whose size is ``η`` whatever the gradient:
  it never practises the second step's correction that ``adam_step`` at 2 asks. Difficulty 1
  is a plain SGD step. Its misconception tags are about the decay, so it blames nobody.

Families considered and given no edge, and why (so that adding one is a deliberate act):

- ``lr_divergence``: it reasons about ``ηλ`` without taking steps; only difficulty 3 needs a
  Hessian's eigenvalues, and those are the integers ``2a ± q`` of an equal-diagonal matrix,
  not the irrational eigenvalues ``eigen_2x2`` asks at 3.
- ``finite_difference``: only its "error" questions need the exact derivative.
- ``mlp_backprop`` → ``matrix_shapes``: pairing ∂L/∂W's entry (i, k) with hidden unit i and
  input k is close to the gradient-shape rule ``matrix_shapes`` asks at difficulty 3, but
  ``mlp_backprop`` at 3 asks an output weight as often as a hidden one (no pairing then), and
  ``matrix_shapes`` at 1 and 2 asks a product's shape, which the 2 × 2 network never makes
  the learner work out. So ``transposed-index`` blames nobody.
- ``sigmoid_bce``, ``softmax_cross_entropy``: the answer is the closed form ``p − y``; the
  chain rule behind it is shown, not performed.
- ``regression_gradient``, ``adam_step``: their matrix and moment arithmetic is no other
  family's skill.
- ``derivative``, ``chain_rule``, ``matrix_shapes``, ``eigen_2x2``, ``epochs_iterations``,
  ``lr_schedule``, ``bayes_rule``, ``expectation_variance``, ``entropy_kl``: basic skills.

Only direct edges are declared; nothing is credited transitively (``momentum`` credits
``gd_steps``, not ``derivative`` through it).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from quizcalc.problems.catalog import FAMILY_NAMES

__all__ = [
    "ALL_DIFFICULTIES",
    "MAX_TOTAL_WEIGHT",
    "SKILL_GRAPH",
    "Encompassed",
    "components_blamed",
    "encompassed",
    "plain_graph",
]

MAX_TOTAL_WEIGHT = 1.5
"""The most the weights leaving one family may add up to (see the module docstring)."""

ALL_DIFFICULTIES: frozenset[int] = frozenset({1, 2, 3})
"""Every difficulty a family has: the difficulties an edge holds at unless it says otherwise."""


@dataclass(frozen=True)
class Encompassed:
    """One component skill that an encompassing family practises in its worked solution."""

    family: str
    """The component family (credited at the encompassing skill's difficulty)."""
    weight: float
    """The share of a real review of the component that one pass is worth, in (0, 1]."""
    misconceptions: frozenset[str] = frozenset()
    """The encompassing family's misconception tags that are a slip in this component."""
    difficulties: frozenset[int] = ALL_DIFFICULTIES
    """The difficulties at which the encompassing family practises this component (credit
    and blame go to the component at the same difficulty, and only at these)."""

    def holds_at(self, difficulty: int) -> bool:
        """Whether the edge holds for the encompassing skill at ``difficulty``."""
        return difficulty in self.difficulties


SKILL_GRAPH: Mapping[str, tuple[Encompassed, ...]] = MappingProxyType(
    {
        # ∂f/∂x differentiates in one variable with the other frozen: the derivative rules.
        "partial": (Encompassed("derivative", 0.5, frozenset({"dropped-inner-derivative"})),),
        # ∇f stacks the partial derivatives; a dropped mixed term is a partial's slip.
        "gradient": (Encompassed("partial", 0.6, frozenset({"dropped-mixed-term"})),),
        # Every Jacobian entry is a partial derivative.
        "jacobian": (Encompassed("partial", 0.6, frozenset({"dropped-mixed-term"})),),
        # The test classifies H by its eigenvalues' signs (the definiteness question of
        # eigen_2x2) after taking the second partials.
        "hessian_classify": (
            Encompassed("eigen_2x2", 0.5, frozenset({"eigenvalue-signs", "diagonal-only"})),
            Encompassed("partial", 0.3),
        ),
        # f' and f'' (∇f and H at difficulty 3) of a polynomial: the power rule part of
        # differentiation only, hence the small weight.
        "newton_step": (Encompassed("derivative", 0.25),),
        # L'(w) of a polynomial loss, as for Newton.
        "gd_steps": (Encompassed("derivative", 0.25),),
        # The velocity update v ← βv − ηL'(w) takes a gradient-descent step each time.
        "momentum": (
            Encompassed(
                "gd_steps",
                0.5,
                frozenset(
                    {
                        "sign-error",
                        "doubled-learning-rate",
                        "halved-learning-rate",
                        "off-by-one-steps",
                    }
                ),
            ),
        ),
        # The backward pass multiplies local derivatives along the network: the chain rule.
        "mlp_backprop": (
            Encompassed(
                "chain_rule",
                0.5,
                frozenset(
                    {
                        "sign-error",
                        "loss-factor",
                        "forgot-activation-derivative",
                        "forgot-relu-mask",
                    }
                ),
            ),
        ),
        # ∂hₙ/∂h₀ is the product of each layer's local derivative wᵢ f′(zᵢ): a chain rule.
        "vanishing_gradient": (
            Encompassed("chain_rule", 0.4, frozenset({"added-layers", "forgot-weights"})),
        ),
        # At 2 the verdict is the definiteness of the constant Hessian [[2a, b], [b, 2c]]:
        # eigen_2x2's definiteness question at 2. A same-sign diagonal read as convex is its
        # "diagonal-only" slip; "hessian-definiteness" (building H) is convexity's own.
        "convexity": (
            Encompassed(
                "eigen_2x2", 0.5, frozenset({"diagonal-only"}), difficulties=frozenset({2})
            ),
        ),
        # At 3, two bias-corrected Adam/AdamW steps with the default betas: adam_step's
        # two-step update (which at 3 also takes the second gradient at the new point).
        "weight_decay": (Encompassed("adam_step", 0.4, difficulties=frozenset({3})),),
    }
)
"""Encompassing family → the components it practises (families without any are absent)."""


def encompassed(family: str, difficulty: int | None = None) -> tuple[Encompassed, ...]:
    """The components ``family`` practises at ``difficulty`` (at any difficulty when it is
    ``None``); empty for a family that encompasses none there."""
    edges = SKILL_GRAPH.get(family, ())
    if difficulty is None:
        return edges
    return tuple(edge for edge in edges if edge.holds_at(difficulty))


def components_blamed(family: str, misconception: str, difficulty: int) -> tuple[str, ...]:
    """The component families a failure of ``family`` at ``difficulty`` naming
    ``misconception`` makes due (at the same difficulty).

    Empty when the tag is about ``family``'s own skill (or is unknown), or when no edge
    carrying it holds at ``difficulty``: the failure is then the encompassing skill's alone.
    """
    return tuple(
        edge.family
        for edge in encompassed(family, difficulty)
        if misconception in edge.misconceptions
    )


def plain_graph() -> dict[str, tuple[tuple[str, float, frozenset[int]], ...]]:
    """Every registered family (in teaching order) → its ``(component, weight,
    difficulties)`` edges, as the plain data the scheduling layer's compression and
    simulation take."""
    return {
        family: tuple((edge.family, edge.weight, edge.difficulties) for edge in encompassed(family))
        for family in FAMILY_NAMES
    }
