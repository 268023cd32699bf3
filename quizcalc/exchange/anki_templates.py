"""Render one Anki card's question and answer from its template, as Anki does (the text part).

Anki makes each card of a note from one template of its note type: ``qfmt`` for the question
and ``afmt`` for the answer, with field references in double braces. Rendered here:

* ``{{Field}}``: the field's HTML; ``{{FrontSide}}``: the rendered question. The answer is
  what follows Anki's ``<hr id=answer>`` (else what follows a repeated question), since
  quizcalc shows the question above the answer anyway;
* ``{{#Field}}…{{/Field}}`` (shown when the field is not empty) and ``{{^Field}}…{{/Field}}``
  (shown when it is empty), nested as deep as the template nests them;
* filters: ``text:`` (tags stripped), ``hint:`` and ``type:`` (the field on the answer side,
  nothing on the question side, since quizcalc grades by itself), ``cloze:`` (the field as
  written: the cloze reader splits it), and the special fields ``Tags``, ``Deck``, ``Card``,
  ``Type``. Any other filter (``furigana:``, ``tts …:``, an add-on's) is not applied: the
  field is shown as written and the filter's name is returned, so the import can say so.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

__all__ = ["RenderedCard", "fields_referenced", "render_card"]

_TAG = re.compile(r"\{\{(.*?)\}\}", re.DOTALL)
_HTML = re.compile(r"<[^>]*>")
_ANSWER_RULE = re.compile(r"<hr\s+id=[\"']?answer[\"']?\s*/?>", re.IGNORECASE)
_KNOWN_FILTERS = frozenset({"text", "hint", "type", "cloze", "cloze-only"})


@dataclass(frozen=True)
class RenderedCard:
    """One card's two sides (Anki HTML) and the filters that could not be applied."""

    question: str
    answer: str
    unrendered: tuple[str, ...] = ()


@dataclass
class _Context:
    fields: Mapping[str, str]
    special: Mapping[str, str]
    answer_side: bool
    front: str = ""
    unrendered: list[str] = field(default_factory=list)


def _empty(value: str) -> bool:
    return not _HTML.sub("", value).replace("&nbsp;", " ").strip()


def _value(name: str, context: _Context) -> str:
    if name == "FrontSide":
        return context.front
    if name in context.fields:
        return context.fields[name]
    return context.special.get(name, "")


def _replacement(inner: str, context: _Context) -> str:
    *filters, name = [part.strip() for part in inner.split(":")]
    value = _value(name, context)
    for name_of_filter in reversed(filters):
        base = name_of_filter.split(" ", 1)[0]
        if base == "text":
            value = _HTML.sub("", value)
        elif base == "type":
            value = value if context.answer_side else ""
        elif base not in _KNOWN_FILTERS and name_of_filter not in context.unrendered:
            context.unrendered.append(name_of_filter)
    return value


def _render(template: str, context: _Context) -> str:
    """``template`` with its sections decided and its references replaced."""
    out: list[str] = []
    position = 0
    stack: list[tuple[str, bool, int]] = []  # (field, shown, len(out) at the opening)
    shown = True
    for match in _TAG.finditer(template):
        if shown:
            out.append(template[position : match.start()])
        position = match.end()
        inner = match.group(1).strip()
        if inner[:1] in "#^" and inner[1:].strip():
            name = inner[1:].strip()
            present = not _empty(_value(name, context))
            stack.append((name, shown, len(out)))
            shown = shown and (present if inner[0] == "#" else not present)
        elif inner[:1] == "/" and stack and stack[-1][0] == inner[1:].strip():
            shown = stack.pop()[1]
        elif shown and inner and inner[:1] not in "!/":
            out.append(_replacement(inner, context))
    if shown:
        out.append(template[position:])
    return "".join(out)


def render_card(
    qfmt: str,
    afmt: str,
    fields: Mapping[str, str],
    special: Mapping[str, str] | None = None,
) -> RenderedCard:
    """The question and answer (Anki HTML) of the card the template ``qfmt``/``afmt`` makes.

    ``fields`` maps field names to their HTML; ``special`` holds ``Tags``, ``Deck``, ``Card``
    and such. The answer leaves out the question it repeats (all before ``<hr id=answer>``).
    """
    question_side = _Context(fields, special or {}, answer_side=False)
    question = _render(qfmt, question_side)
    answer_side = _Context(fields, special or {}, answer_side=True, front=question)
    answer = _render(afmt, answer_side)
    rule = _ANSWER_RULE.search(answer)
    if rule is not None:
        answer = answer[rule.end() :]
    elif question.strip() and answer.lstrip().startswith(question.strip()):
        answer = answer.lstrip()[len(question.strip()) :]
    unrendered = list(dict.fromkeys([*question_side.unrendered, *answer_side.unrendered]))
    return RenderedCard(question.strip(), answer.strip(), tuple(unrendered))


def fields_referenced(*templates: str) -> set[str]:
    """The field names that ``templates`` refer to (in references and sections)."""
    names: set[str] = set()
    for template in templates:
        for match in _TAG.finditer(template):
            inner = match.group(1).strip().lstrip("#^/")
            names.add(inner.split(":")[-1].strip())
    return names
