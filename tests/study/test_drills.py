"""Drills without a database: the spec's checks, the plan, distinct instances, the worksheet."""

from __future__ import annotations

import json
import random
import re
import subprocess
import sys
from collections import Counter
from dataclasses import replace
from itertools import pairwise

import pytest

from quizcalc.config import Config
from quizcalc.problems import expected_text
from quizcalc.study.drill_plan import (
    MAX_COUNT,
    PROBLEMS_PER_MINUTE,
    DrillSpec,
    draw_instances,
    plan_drill,
)
from quizcalc.study.worksheet import PAGE_BREAK, render_worksheet, reproduce_command

TWO = ("chain_rule", "lr_divergence")


# --- the spec ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"families": ("integrals",)}, "unknown problem family 'integrals'; choose from: "),
        ({"families": ()}, "choose at least one problem family"),
        ({"count": 0}, r"number of problems must be between 1 and 500 \(got 0\)"),
        ({"count": MAX_COUNT + 1}, r"between 1 and 500 \(got 501\)"),
        ({"count": 2.5}, r"between 1 and 500 \(got 2.5\)"),
        ({"difficulty": 0}, r"difficulty must be 1, 2 or 3 \(got 0\)"),
        ({"difficulty": 4}, r"difficulty must be 1, 2 or 3 \(got 4\)"),
        ({"difficulty": True}, r"difficulty must be 1, 2 or 3 \(got True\)"),
        ({"minutes": 0}, r"time limit must be between 1 and 600 minutes \(got 0\)"),
        ({"count": None, "minutes": None}, "give a number of problems, a time limit"),
        ({"seed": -1}, r"seed must be a whole number, 0 or more \(got -1\)"),
    ],
)
def test_a_bad_spec_says_what_is_wrong(fields: dict[str, object], message: str) -> None:
    arguments: dict[str, object] = {"families": ("chain_rule",), **fields}
    with pytest.raises(ValueError, match=message):
        DrillSpec(**arguments)  # type: ignore[arg-type]


def test_the_unknown_family_message_lists_every_family() -> None:
    from quizcalc.problems.catalog import FAMILY_NAMES

    with pytest.raises(ValueError) as caught:
        DrillSpec(("chain_rule", "integrals"))
    assert all(name in str(caught.value) for name in FAMILY_NAMES)
    assert "\n" not in str(caught.value)


def test_families_are_kept_once_in_the_order_given() -> None:
    spec = DrillSpec(("lr_divergence", "chain_rule", "lr_divergence"))
    assert spec.families == ("lr_divergence", "chain_rule")


def test_settings_fill_what_was_not_given() -> None:
    config = Config(drill_count=7, drill_minutes=0, drill_difficulty=2)
    spec = DrillSpec.from_settings(["chain_rule"], config)
    assert (spec.count, spec.minutes, spec.difficulty, spec.seed) == (7, None, 2, None)
    timed = DrillSpec.from_settings(["chain_rule"], config, minutes=5)
    assert (timed.count, timed.minutes) == (None, 5)  # "5 minutes": as many as fit
    limited = DrillSpec.from_settings(["chain_rule"], replace(config, drill_minutes=3), count=4)
    assert (limited.count, limited.minutes) == (4, 3)
    with pytest.raises(ValueError, match="got 0"):
        DrillSpec.from_settings(["chain_rule"], config, count=0)


def test_label_reads_as_one_line() -> None:
    spec = DrillSpec(TWO, difficulty=2, count=10, minutes=5, seed=42)
    assert spec.label == "10 problems · 5 min · chain_rule, lr_divergence · difficulty 2 · seed 42"


# --- the plan ------------------------------------------------------------------------------


def test_a_seed_gives_the_same_set_every_time() -> None:
    spec = DrillSpec(TWO, difficulty=2, count=10, seed=42)
    first, second = plan_drill(spec), plan_drill(spec, random.Random(99))
    assert first == second and first.seed == 42 and len(first.items) == 10
    assert {item.difficulty for item in first.items} == {2}
    other = plan_drill(replace(spec, seed=43))
    assert other.items != first.items


def test_without_a_seed_sets_vary_and_the_drawn_seed_repeats_the_set() -> None:
    spec = DrillSpec(TWO, count=10)
    plans = [plan_drill(spec, random.Random(n)) for n in range(5)]
    assert len({plan.items for plan in plans}) == 5
    assert len({plan_drill(spec).items for _ in range(3)}) == 3  # OS entropy by default
    again = plan_drill(replace(spec, seed=plans[0].seed))
    assert again.items == plans[0].items


@pytest.mark.parametrize("families", [TWO, ("chain_rule", "gd_steps", "momentum")])
def test_families_interleave_evenly_never_twice_in_a_row(families: tuple[str, ...]) -> None:
    for seed in range(200):
        plan = plan_drill(DrillSpec(families, count=11, seed=seed))
        order = [item.family for item in plan.items]
        assert all(a != b for a, b in pairwise(order)), order
        counts = Counter(order)
        assert set(counts) == set(families) and max(counts.values()) - min(counts.values()) <= 1


def test_one_family_repeats_with_distinct_seeds() -> None:
    plan = plan_drill(DrillSpec(("momentum",), count=30, seed=1))
    assert {item.family for item in plan.items} == {"momentum"}
    assert len({item.seed for item in plan.items}) == 30


def test_a_time_limit_without_a_count_plans_up_to_a_cap() -> None:
    plan = plan_drill(DrillSpec(TWO, count=None, minutes=2, seed=5))
    assert plan.total is None and len(plan.items) == 2 * PROBLEMS_PER_MINUTE
    longest = plan_drill(DrillSpec(TWO, count=None, minutes=600, seed=5))
    assert len(longest.items) == MAX_COUNT


def test_instances_never_repeat_a_prompt_where_the_skill_allows() -> None:
    # lr_divergence at level 1 has a few dozen distinct instances: plain seeds would repeat.
    plan = plan_drill(DrillSpec(("lr_divergence",), count=20, seed=3))
    problems = draw_instances(plan)
    assert len({p.prompt for p in problems}) == 20
    assert draw_instances(plan) == problems  # re-rolls are deterministic


# --- the worksheet -------------------------------------------------------------------------


def test_worksheet_numbers_problems_then_gives_the_answer_key() -> None:
    plan = plan_drill(DrillSpec(TWO, difficulty=2, count=4, seed=42))
    sheet = render_worksheet(plan, export="sheet.md")
    problems = draw_instances(plan)
    head, key = sheet.split("## Answer key")
    assert head.startswith("# Drill worksheet\n") and "## Instructions" in head
    assert re.findall(r"^### Problem (\d+):", head, re.M) == ["1", "2", "3", "4"]
    assert head.rstrip().endswith(f"{PAGE_BREAK}\n\n---")
    for problem in problems:
        assert problem.prompt.strip() in head  # Markdown and LaTeX kept as written
    assert "\\(" in head
    answers = re.findall(r"^\*\*Answer:\*\* `(.*)`$", key, re.M)
    assert answers == [expected_text(p.answer) for p in problems]
    for number, problem in enumerate(problems, 1):
        block = key.split(f"### {number}. ")[1].split("\n### ")[0]
        steps = re.findall(r"^(\d+)\. ", block, re.M)
        assert steps == [str(n) for n in range(1, len(problem.solution) + 1)]
        assert problem.solution[-1] in block
    assert reproduce_command(plan, "sheet.md") in key
    assert "seed 42" in head


def test_the_same_seed_writes_the_same_worksheet() -> None:
    spec = DrillSpec(TWO, difficulty=1, count=3, seed=8)
    assert render_worksheet(plan_drill(spec)) == render_worksheet(plan_drill(spec))
    assert render_worksheet(plan_drill(spec)) != render_worksheet(plan_drill(replace(spec, seed=9)))


def test_reproduce_command_regenerates_the_sheet_of_an_unseeded_plan() -> None:
    plan = plan_drill(DrillSpec(TWO, count=3), random.Random(4))
    command = reproduce_command(plan, "my sheet.md")
    assert command.endswith(f"--count 3 --seed {plan.seed} --export 'my sheet.md'")
    again = plan_drill(DrillSpec(TWO, count=3, seed=plan.seed))
    assert render_worksheet(again) == render_worksheet(plan)


@pytest.mark.parametrize(
    "module",
    ["quizcalc.study.drill_plan", "quizcalc.study.worksheet", "quizcalc.cli.drill_command"],
)
def test_planning_and_the_command_stay_light_at_import(module: str) -> None:
    code = f"import importlib, json, sys; importlib.import_module({module!r}); "
    code += "print(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))"
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    assert not set(json.loads(out.stdout)) & {"sqlalchemy", "sympy", "textual", "alembic"}
