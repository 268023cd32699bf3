"""``quizcalc drill --deck DECK``: a drill over every problem skill of one deck."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from click.testing import CliRunner, Result

from quizcalc.cli.main import cli

CALCULUS = """---
deck: Calculus
---
## 2.8 The learning rate

```problem
family: lr_divergence
difficulty: 1
```

```problem
family: gd_steps
difficulty: 1
```
"""

LINEAR = """---
deck: Linear algebra for ML
---
## 1.2 Jacobians

```problem
family: jacobian
difficulty: 1
```
"""


def _drill(db_url: str, content: Path, *args: str) -> Result:
    return CliRunner().invoke(
        cli, ["--db", db_url, "--content", str(content), "drill", *args], prog_name="quizcalc"
    )


def test_a_deck_s_worksheet_holds_exactly_that_deck_s_skills(
    db_url: str, write_deck: Callable[..., Path], tmp_path: Path
) -> None:
    write_deck(CALCULUS, "calculus.md")
    content = write_deck(LINEAR, "linear.md")
    sheet = tmp_path / "sheet.md"
    result = _drill(db_url, content, "--deck", "linear", "--count", "3", "--export", str(sheet))
    assert result.exit_code == 0, (result.output, result.exception)
    text = sheet.read_text(encoding="utf-8")
    assert "--family jacobian" in text
    assert "lr_divergence" not in text and "gd_steps" not in text
    both = tmp_path / "both.md"
    args = ["--deck", "Calculus", "--deck", "linear", "--count", "3", "--export", str(both)]
    assert _drill(db_url, content, *args).exit_code == 0
    assert "--family lr_divergence --family gd_steps --family jacobian" in both.read_text("utf-8")


def test_an_unknown_deck_is_one_line_naming_the_decks_with_problems(
    db_url: str, write_deck: Callable[..., Path], tmp_path: Path
) -> None:
    write_deck(CALCULUS, "calculus.md")
    content = write_deck(LINEAR, "linear.md")
    result = _drill(db_url, content, "--deck", "Topology", "--export", str(tmp_path / "x.md"))
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == (
        "quizcalc: no problem cards in deck 'Topology'; "
        "decks with problems: Calculus; Linear algebra for ML"
    )
    assert not (tmp_path / "x.md").exists()
