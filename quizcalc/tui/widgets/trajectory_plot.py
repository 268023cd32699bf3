"""The picture an optimiser problem teaches: w_k and the loss against k, side by side.

Converging, oscillating or blowing up is easier to see than to read, so the worked solution of
``gd_steps``, ``lr_divergence`` and ``momentum`` ends with this plot. ``textual_plotext`` (and
plotext with it) is imported by this module only, which is imported when a plot is first shown.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual_plotext import PlotextPlot

from quizcalc.cards.display import latex_to_unicode

if TYPE_CHECKING:
    from quizcalc.problems import Trajectory

__all__ = ["TrajectoryPlot"]


class TrajectoryPlot(Vertical):
    """Two plots of one trajectory, titled with its label rendered as maths
    (``η = 0.6, λ = 4: diverges``, ``η = 0.1, L(w) = 0.25w⁴``)."""

    def __init__(self, trajectory: Trajectory, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.trajectory = trajectory
        """The iterates drawn."""
        self.border_title = latex_to_unicode(trajectory.label) if trajectory.label else "Trajectory"

    def compose(self) -> ComposeResult:
        """The weights on the left, the loss on the right."""
        with Horizontal():
            yield PlotextPlot(id="plot-w")
            yield PlotextPlot(id="plot-loss")

    def on_mount(self) -> None:
        """Draw both series (plotext redraws them at whatever size the widgets get)."""
        for widget_id, values, title, floor in (
            ("#plot-w", self.trajectory.w, r"\(w_k\) against \(k\)", None),
            ("#plot-loss", self.trajectory.loss, r"loss \(L(w_k)\) against \(k\)", 0.0),
        ):
            plt = self.query_one(widget_id, PlotextPlot).plt
            steps = [float(k) for k in range(len(values))]
            # Same resolution for both, so each iterate lands on the line (in its own colour).
            plt.plot(steps, list(values), marker="braille", color="blue+")
            plt.scatter(steps, list(values), marker="braille", color="orange+")
            plt.title(latex_to_unicode(title))  # as the cards write maths: wₖ, not w_k
            plt.xlabel("k")
            every = max(1, len(steps) // 6)
            plt.xticks(steps[::every], [str(k) for k in range(0, len(steps), every)])
            low, high = min(values), max(values)
            if floor is not None:
                low = min(low, floor)  # a loss is seen against zero
            ticks = _ticks(low, high)
            plt.ylim(ticks[0], ticks[-1])
            plt.yticks(ticks, [_short(t) for t in ticks])


def _ticks(low: float, high: float, most: int = 6) -> list[float]:
    """Round values (steps of 1, 2 or 5 × 10ⁿ) spanning ``low``–``high``, at most ``most``."""
    if high - low < 1e-12 * max(1.0, abs(high)):
        pad = max(abs(high) * 0.1, 1.0)  # a flat series gets a band around it
        low, high = low - pad, high + pad
    raw = (high - low) / (most - 1)
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)
    first = math.floor(low / step + 1e-9) * step
    ticks = [first]
    while ticks[-1] < high - 1e-9 * step:
        ticks.append(first + len(ticks) * step)
    return [0.0 if abs(t) < step * 1e-9 else t for t in ticks]


def _short(value: float) -> str:
    """A tick label of about six characters at most: ``0.25``, ``-3.2``, ``8180``, ``6e8``."""
    if value == 0:
        return "0"
    if 1e-3 <= abs(value) < 1e4:
        text = f"{value:.4g}"
        if "e" not in text:
            return text
    mantissa, exponent = f"{value:.1e}".split("e")
    return f"{mantissa.rstrip('0').rstrip('.')}e{int(exponent)}"
