"""``epochs_iterations``: epochs vs iterations — how many updates does training make?

An iteration is one parameter update (one mini-batch); an epoch is one pass over the data.
Difficulty 1: the batch size divides the data (the chapter's 10 000 / 100 = 100). Difficulty
2: it does not, and the prompt says whether the last, smaller batch is kept or dropped
(``drop_last``). Difficulty 3: data-parallel training, where the batch is per device and one
update consumes ``devices × per-device batch`` examples.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

from quizcalc.problems.expected import Slip, vector_answer, vector_text
from quizcalc.problems.family import Draft, Family, draw_until
from quizcalc.problems.writing import answer_line

__all__ = ["FAMILY"]


@dataclass(frozen=True)
class _Setup:
    examples: int
    batch: int
    """Examples per update (the global batch)."""
    epochs: int
    drop_last: bool
    devices: int = 1

    def per_epoch(self, drop_last: bool | None = None, batch: int | None = None) -> int:
        """Updates in one epoch (optionally with another drop_last or batch size)."""
        drop = self.drop_last if drop_last is None else drop_last
        size = self.batch if batch is None else batch
        return self.examples // size if drop else math.ceil(self.examples / size)


def _draw(rng: random.Random, difficulty: int) -> _Setup:
    epochs = rng.randint(2, 10) if difficulty > 1 else rng.choice([1, 2, 3, 5, 10])
    if difficulty == 1:
        batch = rng.choice([10, 20, 25, 50, 100, 200, 250, 500])
        return _Setup(batch * rng.choice([4, 8, 10, 20, 40, 50, 100, 120]), batch, epochs, False)
    if difficulty == 2:
        batch = rng.choice([16, 32, 50, 64, 100, 128, 256])
        examples = batch * rng.randint(5, 80) + rng.randint(1, batch - 1)
        return _Setup(examples, batch, epochs, rng.choice([True, False]))
    devices = rng.choice([2, 4, 8])
    per_device = rng.choice([8, 16, 32, 64])
    batch = devices * per_device
    examples = batch * rng.randint(5, 60) + rng.randint(1, batch - 1)
    return _Setup(examples, batch, epochs, rng.choice([True, False]), devices)


def _valid(s: _Setup) -> bool:
    return s.per_epoch() >= 2


def build(rng: random.Random, difficulty: int) -> Draft:
    """Updates per epoch and in total, as a two-component vector."""
    s = draw_until(rng, lambda r: _draw(r, difficulty), _valid)
    per = s.per_epoch()
    total = per * s.epochs
    remainder = s.examples % s.batch
    if s.devices > 1:
        per_device = s.batch // s.devices
        setup = (
            f"Training is data-parallel on {s.devices} GPUs with {per_device} examples per GPU: "
            f"each update averages the gradients of one global batch of "
            f"\\({s.devices} \\times {per_device}\\) examples."
        )
    else:
        setup = f"The mini-batch size is \\(B = {s.batch}\\)."
    last = ""
    if remainder:
        last = (
            " The last, smaller batch of each epoch is dropped (`drop_last=True`)."
            if s.drop_last
            else " The last, smaller batch of each epoch is kept (`drop_last=False`)."
        )
    prompt = (
        f"A training set has \\(N = {s.examples}\\) examples. {setup}{last} Training runs for "
        f"\\(E = {s.epochs}\\) epoch{'s' if s.epochs > 1 else ''}; one iteration is one parameter "
        "update on one batch.\n\n"
        "How many updates happen per epoch, and in total? Answer as a vector "
        "`[per epoch, total]`, e.g. `[10, 50]`."
    )
    solution = []
    if s.devices > 1:
        solution.append(
            "Each update consumes the global batch: "
            f"\\(B = {s.devices} \\times {s.batch // s.devices} = {s.batch}\\) examples."
        )
    if remainder:
        full = s.examples // s.batch
        fate = "dropped, so it makes no update" if s.drop_last else "kept: one more update"
        solution.append(
            f"\\({s.examples} = {full} \\times {s.batch} + {remainder}\\): {full} full batches "
            f"and a last batch of {remainder}, {fate}."
        )
        solution.append(f"Updates per epoch: {_rounded(s.drop_last, s.examples, s.batch, per)}.")
    else:
        solution.append(
            "Updates per epoch: "
            f"\\(\\frac{{N}}{{B}} = \\frac{{{s.examples}}}{{{s.batch}}} = {per}\\)."
        )
    solution.append(
        f"In total, over \\(E = {s.epochs}\\) epochs: \\({per} \\times {s.epochs} = {total}\\)."
    )
    solution.append(answer_line(vector_text([per, total])))

    other = s.per_epoch(drop_last=not s.drop_last)
    slips: list[Slip] = [
        (
            [other, other * s.epochs],
            "The last partial batch "
            + ("is dropped (drop_last=True): round down." if s.drop_last else "is kept: round up."),
            "partial-batch",
        ),
        ([per, per], "The total covers every epoch: multiply by E.", "forgot-epochs"),
        (
            [
                per,
                math.floor(s.examples * s.epochs / s.batch)
                if s.drop_last
                else math.ceil(s.examples * s.epochs / s.batch),
            ],
            "Each epoch rounds its own last batch: count per epoch, then multiply by E.",
            "rounded-once",
        ),
        ([total, per], "The order is [per epoch, total].", "swapped"),
        (
            [s.examples, s.examples * s.epochs],
            "That counts examples, not updates: one update consumes a whole batch.",
            "examples-not-updates",
        ),
    ]
    if s.devices > 1:
        local = s.per_epoch(batch=s.batch // s.devices)
        slips.append(
            (
                [local, local * s.epochs],
                f"With {s.devices} GPUs, one update consumes "
                f"{s.devices} × {s.batch // s.devices} = {s.batch} examples, not one "
                "GPU's batch.",
                "per-device-batch",
            )
        )
    slips += _off_by_one(s, per)
    hints = (
        "One epoch is one pass over all \\(N\\) examples; one iteration is one batch, one update.",
        "Divide \\(N\\) by the examples per update; decide what the last partial batch does.",
        "Multiply the per-epoch count by the number of epochs.",
    )
    params = {
        "examples": s.examples,
        "batch": s.batch,
        "epochs": s.epochs,
        "drop_last": s.drop_last,
        "devices": s.devices,
    }
    return Draft(prompt, vector_answer([per, total], slips), tuple(solution), hints, params)


def _off_by_one(s: _Setup, per: int) -> list[Slip]:
    """Counts one off: a batch per epoch, an epoch, or an update in the total.

    Only those that are not the right answer or another named slip: one batch fewer when the
    last batch is kept, or one more when it is dropped, is the partial-batch slip (⌈N/B⌉ for
    ⌊N/B⌋ or back); one epoch fewer of two is forgetting the epochs.
    """
    total = per * s.epochs
    slips: list[Slip] = []
    if s.examples % s.batch == 0:
        slips += [
            (
                [per + 1, (per + 1) * s.epochs],
                "One update too many per epoch: B divides N, so every batch is full and "
                "there is no partial last batch to count.",
                "off-by-one-batches",
            ),
            (
                [per - 1, (per - 1) * s.epochs],
                "One update too few per epoch: every batch makes an update, the last one too "
                "(B divides N, so none is dropped).",
                "off-by-one-batches",
            ),
        ]
    elif s.drop_last:
        slips.append(
            (
                [per - 1, (per - 1) * s.epochs],
                "One update too few per epoch: drop_last drops only the partial batch, and "
                "every full batch still makes an update.",
                "off-by-one-batches",
            )
        )
    else:
        slips.append(
            (
                [per + 1, (per + 1) * s.epochs],
                "One update too many per epoch: rounding N/B up already counts the last, "
                "smaller batch; count it once.",
                "off-by-one-batches",
            )
        )
    slips.append(
        (
            [per, per * (s.epochs + 1)],
            "The total counts one epoch too many: multiply the updates per epoch by E.",
            "off-by-one-epochs",
        )
    )
    if s.epochs > 2:
        slips.append(
            (
                [per, per * (s.epochs - 1)],
                "The total counts one epoch too few: every one of the E epochs makes its "
                "updates, the first one too.",
                "off-by-one-epochs",
            )
        )
    slips += [
        (
            [per, total + 1],
            "One update too many in total: count the updates, not the parameter values "
            "before and after them (there is one more of those).",
            "off-by-one-updates",
        ),
        (
            [per, total - 1],
            "One update too few in total: numbering the updates from 0, the last number is "
            "one less than how many there are.",
            "off-by-one-updates",
        ),
    ]
    return slips


def _rounded(down: bool, examples: int, batch: int, per: int) -> str:
    """``\\(\\lfloor \\frac{1000}{64} \\rfloor = 15\\)`` (or the ceiling)."""
    left, right = ("\\lfloor", "\\rfloor") if down else ("\\lceil", "\\rceil")
    return f"\\({left} \\frac{{{examples}}}{{{batch}}} {right} = {per}\\)"


FAMILY = Family(
    name="epochs_iterations",
    title="Epochs and iterations",
    description="From dataset and batch size, count the updates per epoch and in total.",
    build=build,
    target_seconds=(45, 75, 120),
    levels=(
        "the batch size divides the data",
        "a partial last batch, kept or dropped (drop_last)",
        "data-parallel: global batch = GPUs × per-GPU batch, partial last batch",
    ),
)
