"""The optional YAML front matter of a card file: ``deck`` and ``tags``."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from quizcalc.cards.labels import normalise_tag, split_tag_string

__all__ = ["FrontMatter", "Problem", "key_line", "load_yaml", "read_front_matter"]

_CARD_LINE = re.compile(r"^\s*(?:Q|A|C):", re.MULTILINE)

Problem = tuple[int, str]
"""A message and the 0-based line it concerns, counted from the start of the YAML body."""


@dataclass(frozen=True)
class FrontMatter:
    """What the front matter sets; None / empty where it says nothing."""

    deck: str | None = None
    tags: tuple[str, ...] = ()


def load_yaml(body: str, what: str) -> tuple[Any, Problem | None]:
    """Parse ``body`` with ``yaml.safe_load``; a syntax error becomes a message about ``what``.

    PyYAML is imported here, not at module import, because most files have no YAML at all.
    """
    import yaml

    try:
        return yaml.safe_load(body), None
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line if exc.problem_mark is not None else 0
        line = min(line, body.rstrip("\n").count("\n"))  # "end of stream" is the last line
        reason = exc.problem or "syntax error"
        return None, (line, f"{what} is not valid YAML ({reason}); write 'key: value' lines")
    except Exception as exc:  # deeply nested or otherwise unreadable YAML
        return None, (0, f"{what} could not be read as YAML ({type(exc).__name__})")


def _read_tags(value: object) -> tuple[list[str], str | None]:
    if isinstance(value, str):
        return [normalise_tag(t) for t in split_tag_string(value)], None
    if isinstance(value, list):
        good = [normalise_tag(t) for t in value if isinstance(t, str) and t.strip()]
        if len(good) == len(value):
            return good, None
        return good, "tags must be a list of strings, e.g. tags: [calculus, optimization]"
    return [], "tags must be a list of strings or one string, e.g. tags: [calculus, optimization]"


def read_front_matter(body: str) -> tuple[FrontMatter, list[Problem]]:
    """Read the YAML between the opening and closing ``---`` lines."""
    problems: list[Problem] = []
    card_line = _CARD_LINE.search(body)
    if card_line is not None:
        line = body.count("\n", 0, card_line.start())
        problems.append(
            (
                line,
                "front matter holds a card line: a '---' on the first line starts YAML front "
                "matter, so start the file with the card (or put a blank line above the '---')",
            )
        )
    data, error = load_yaml(body, "front matter")
    if error is not None:
        return FrontMatter(), [*problems, error]
    if data is None:
        return FrontMatter(), problems
    if not isinstance(data, dict):
        problems.append((0, "front matter must be 'key: value' lines, e.g. deck: Calculus"))
        return FrontMatter(), problems
    deck: str | None = None
    if "deck" in data:
        value = data["deck"]
        if isinstance(value, str) and value.strip():
            deck = value.strip()
        else:
            problems.append((key_line(body, "deck"), "deck must be a non-empty string"))
    tags: list[str] = []
    if "tags" in data and data["tags"] is not None:
        tags, message = _read_tags(data["tags"])
        if message is not None:
            problems.append((key_line(body, "tags"), message))
    return FrontMatter(deck, tuple(dict.fromkeys(t for t in tags if t))), problems


def key_line(body: str, key: str) -> int:
    """0-based line where ``key:`` is written (0 if it cannot be found)."""
    match = re.search(rf"^{re.escape(key)}\s*:", body, re.MULTILINE)
    return body.count("\n", 0, match.start()) if match else 0
