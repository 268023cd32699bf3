"""The Calculus & Optimization deck: it parses, it is complete, and it is our own writing.

The seed chapter the deck was built from lives beside the repository, never inside it; the
tests that compare against it skip, saying why, where it is absent.
"""

from __future__ import annotations

import difflib
import json
import re
from collections import Counter
from collections.abc import Iterable
from functools import cache
from pathlib import Path

import pytest

from quizcalc.cards import lint_paths, parse_markdown
from quizcalc.cards.model import Card, CardKind
from tests.conftest import SEED_PATH, read_seed_chapter

REPO_ROOT = Path(__file__).resolve().parents[2]
CONTENT_DIR = REPO_ROOT / "content"
DECK_PATH = CONTENT_DIR / "calculus-optimization.md"
COVERAGE_PATH = REPO_ROOT / "data" / "seed-coverage.json"

SECTIONS = (
    "2.1 The derivative",
    "2.2 Partial derivatives and the gradient",
    "2.3 The chain rule and backpropagation",
    "2.4 Jacobian and Hessian",
    "2.5 Convexity",
    "2.6 Gradient descent",
    "2.7 Batch, stochastic and mini-batch",
    "2.8 The learning rate",
    "2.9 Local minima, saddle points and plateaus",
    "Key takeaways",
)
SEED_QUESTIONS = 39

SHINGLE_WORDS = 8
"""Length of the word runs compared with the seed. The mandated section titles echo the
seed's own headings for up to seven words, so eight is the shortest run they don't trip."""

MIN_SENTENCE_WORDS = 5
"""Seed sentences at least this long must not appear in the deck verbatim."""

PARAPHRASE_RUN = 7
"""Stricter than SHINGLE_WORDS, for card text only: word endings are folded and a formula counts
as one word, so a reworded copy ("a smaller batch is noisier, so it needs a smaller η ...")
is still caught."""

PARAPHRASE_RATIO = 0.6
"""A card sentence at least this similar, word by word, to a seed sentence is a reworded copy
of it. Common phrasing of the subject ("the matrix of second partial derivatives") stays
below it."""

MIN_PARAPHRASE_WORDS = 7
"""Sentences shorter than this on either side are not compared: short ones match by chance
("for formula the jacobian is formula")."""

TOP_MATCHES = 5
"""A mapped deck card must be among this many best keyword matches for its seed card."""

_STOPWORD_TEXT = """
about above after again against along among because before being below between could doing
during every further their there these those through under until where which while would
should might other since using whose
"""
STOPWORDS = frozenset(_STOPWORD_TEXT.split())
"""Common long words that say nothing about a card's topic."""

_MATH = re.compile(r"\\\(.*?\\\)|\\\[.*?\\\]", re.DOTALL)
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.DOTALL)
_MARKER = re.compile(r"^\s*[QA]:", re.MULTILINE)


@cache
def deck_text() -> str:
    return DECK_PATH.read_text(encoding="utf-8")


@cache
def deck_cards() -> tuple[Card, ...]:
    return tuple(parse_markdown(deck_text(), source=str(DECK_PATH)))


def basic_cards() -> list[Card]:
    return [card for card in deck_cards() if card.kind is CardKind.BASIC]


def cloze_cards() -> list[Card]:
    return [card for card in deck_cards() if card.kind is CardKind.CLOZE]


def note_key(card: Card) -> str:
    """The id of the note a card comes from: a cloze note yields one card per deletion."""
    return card.id.split("::", 1)[0] if card.kind is CardKind.CLOZE else card.id


def deck_ids() -> set[str]:
    return {note_key(card) for card in deck_cards()}


def card_by_note_id() -> dict[str, Card]:
    return {note_key(card): card for card in deck_cards()}


def seed_text() -> str:
    return read_seed_chapter()


def seed_cards() -> list[Card]:
    return parse_markdown(seed_text(), source=str(SEED_PATH))


def coverage() -> dict[str, str]:
    return json.loads(COVERAGE_PATH.read_text(encoding="utf-8"))


def significant_words(text: str) -> set[str]:
    """Lower-cased words of five letters or more, stopwords dropped, a plural ``s`` folded."""
    words = re.findall(r"[a-z]+", _MATH.sub(" ", text).lower())
    return {word.removesuffix("s") for word in words if len(word) >= 5 and word not in STOPWORDS}


def similarity(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a | b else 0.0


def prose_lines(text: str) -> list[list[str]]:
    """Each line's words, normalised, with math, comments, front matter and Q:/A: removed.

    Math segments become line breaks so that no word run spans a formula: a formula such as
    the update rule may legitimately coincide with the seed's.
    """
    text = _FRONT_MATTER.sub("", text)
    text = _COMMENT.sub("\n", text)
    text = _MATH.sub("\n", text)
    text = _MARKER.sub("", text).lower()
    text = re.sub(r"(?<=\d)\.(?=\d)", "", text)  # "2.9" -> "29", as punctuation-stripped
    text = re.sub(r"['’]", "", text)
    return [re.findall(r"[a-z0-9]+", line) for line in text.splitlines()]


def shingles(lines: list[list[str]], n: int) -> set[tuple[str, ...]]:
    return {tuple(words[i : i + n]) for words in lines for i in range(len(words) - n + 1)}


def fold(word: str) -> str:
    """The word without a plural, past or -ing ending, so "batches" and "batch" match."""
    for ending in ("ing", "ed", "es", "s"):
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            return word[: -len(ending)]
    return word


def folded_sentences(text: str) -> list[list[str]]:
    """Each sentence's words, lower-cased and folded; each formula is the one word ``formula``."""
    text = _MATH.sub(" formula ", text)
    text = re.sub(r"(?<=\d)[.,](?=\d)", "", text.lower())  # "60,000" -> "60000"
    text = re.sub(r"['’]", "", text)
    sentences = re.split(r"(?<=[.?!;:])\s+|\n|\s[—–]\s", text)
    return [[fold(word) for word in re.findall(r"[a-z0-9]+", s)] for s in sentences]


def card_sentences() -> dict[str, list[list[str]]]:
    """Every card's question and answer sentences (a cloze note once, from its full text)."""
    texts = {note_key(card): f"{card.question}\n{card.answer}" for card in basic_cards()}
    texts |= {note_key(card): card.answer for card in cloze_cards()}
    return {card_id: folded_sentences(text) for card_id, text in texts.items()}


# --- the deck parses into a complete, well-formed deck ---------------------------------------


def test_deck_has_at_least_45_basic_cards_and_4_cloze_notes() -> None:
    notes = {note_key(card) for card in cloze_cards()}
    assert len(basic_cards()) >= 45
    assert 4 <= len(notes) <= 8, sorted(notes)


def test_content_folder_lints_clean() -> None:
    problems = lint_paths([CONTENT_DIR])
    assert problems == [], "\n".join(str(problem) for problem in problems)


def test_deck_name_and_tags_come_from_front_matter() -> None:
    for card in deck_cards():
        assert card.deck == "Calculus & Optimization"
        assert {"calculus", "optimization", "ml-interview"} <= set(card.tags)


def test_every_card_has_an_explicit_unique_id() -> None:
    written = re.findall(r"<!--\s*id:\s*(\S+?)\s*-->", deck_text())
    duplicates = [card_id for card_id, count in Counter(written).items() if count > 1]
    assert duplicates == []
    assert all(re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", card_id) for card_id in written)
    assert all(card.explicit_id for card in deck_cards())
    assert deck_ids() == set(written)
    assert len({card.id for card in deck_cards()}) == len(deck_cards())


def test_every_section_has_cards() -> None:
    per_section = Counter(card.section.split("::")[0] for card in deck_cards())
    assert set(per_section) == set(SECTIONS)
    thin = {section: count for section, count in per_section.items() if count < 3}
    assert thin == {}


def test_every_card_has_a_question_and_an_answer() -> None:
    for card in deck_cards():
        assert card.question.strip(), card.id
        if card.kind is not CardKind.PROBLEM:  # a problem's answer is generated per review
            assert card.answer.strip(), card.id


FIRST_DECK_FAMILIES = 13
"""The families of the calculus chapter: the first thirteen registered, in its order."""


def test_every_problem_family_is_practised_in_the_section_it_belongs_to() -> None:
    """Each family is a card of the deck that teaches it, under that section's Practice: the
    calculus chapter's thirteen here, the others in the decks of content/."""
    from quizcalc.problems.catalog import FAMILY_NAMES

    def families(cards: Iterable[Card]) -> dict[str, set[str]]:
        found: dict[str, set[str]] = {}
        for card in cards:
            if card.kind is CardKind.PROBLEM and card.problem:
                found.setdefault(card.problem.family, set()).add(card.section)
        return found

    here = families(deck_cards())
    assert set(here) == set(FAMILY_NAMES[:FIRST_DECK_FAMILIES])
    everywhere: dict[str, set[str]] = {}
    for path in sorted(CONTENT_DIR.glob("*.md")):
        if path.name != "FORMAT.md":
            cards = parse_markdown(path.read_text(encoding="utf-8"), source=str(path))
            for family, sections in families(cards).items():
                everywhere.setdefault(family, set()).update(sections)
    assert set(everywhere) == set(FAMILY_NAMES)
    assert all(s.endswith("::Practice") for sections in everywhere.values() for s in sections)
    assert lint_paths([CONTENT_DIR], known_families=FAMILY_NAMES) == []


@pytest.mark.parametrize(
    "path", sorted(p for p in CONTENT_DIR.glob("*.md") if p.name != "FORMAT.md"), ids=str
)
def test_math_delimiters_are_balanced(path: Path) -> None:
    """In every deck of content/: each \\( closes with \\), each \\[ with \\], none nested."""
    text = path.read_text(encoding="utf-8")
    cards = parse_markdown(text, source=str(path))
    texts = [("file", text)]
    texts += [(card.id, field) for card in cards for field in (card.question, card.answer)]
    for where, text in texts:
        open_kind = None
        for token in re.findall(r"\\[()\[\]]", text):
            if token in (r"\(", r"\["):
                assert open_kind is None, f"{where}: {token} opened inside {open_kind}"
                open_kind = token
            else:
                expected = r"\)" if open_kind == r"\(" else r"\]"
                assert token == expected, f"{where}: {token} closes {open_kind}"
                open_kind = None
        assert open_kind is None, f"{where}: {open_kind} never closed"


# --- every interview question of the seed is taught ------------------------------------------


def test_coverage_maps_all_39_seed_questions_to_distinct_deck_cards() -> None:
    mapping = coverage()
    assert sorted(mapping, key=int) == [str(i) for i in range(SEED_QUESTIONS)]
    assert len(set(mapping.values())) == SEED_QUESTIONS
    assert set(mapping.values()) <= deck_ids()
    assert all(card_by_note_id()[card_id].kind is CardKind.BASIC for card_id in mapping.values())


def test_seed_still_parses_into_39_question_cards() -> None:
    assert len(seed_cards()) == SEED_QUESTIONS


def test_each_mapped_card_shares_a_keyword_with_its_seed_question() -> None:
    seeds = seed_cards()
    by_id = card_by_note_id()
    unrelated = {}
    for index, card_id in coverage().items():
        seed_question = significant_words(seeds[int(index)].question)
        card = by_id[card_id]
        if not seed_question & significant_words(f"{card.question}\n{card.answer}"):
            unrelated[index] = card_id
    assert unrelated == {}


def _ranks(mapping: dict[str, str]) -> dict[str, int]:
    """For each seed card, the position of its mapped card among all deck cards, best first."""
    seeds = seed_cards()
    words = {
        note_key(card): significant_words(f"{card.question}\n{card.answer}")
        for card in basic_cards()
    }
    ranks = {}
    for index, card_id in mapping.items():
        seed = seeds[int(index)]
        target = significant_words(f"{seed.question}\n{seed.answer}")
        ordered = sorted(words, key=lambda other: similarity(target, words[other]), reverse=True)
        ranks[index] = ordered.index(card_id) + 1
    return ranks


def test_each_mapped_card_is_among_the_best_keyword_matches_for_its_seed_card() -> None:
    far = {index: rank for index, rank in _ranks(coverage()).items() if rank > TOP_MATCHES}
    assert far == {}


def test_the_keyword_ranking_would_notice_a_shuffled_mapping() -> None:
    mapping = coverage()
    ids = [mapping[str(i)] for i in range(SEED_QUESTIONS)]
    rotated = {str(i): ids[(i + 7) % SEED_QUESTIONS] for i in range(SEED_QUESTIONS)}
    near = [rank for rank in _ranks(rotated).values() if rank <= TOP_MATCHES]
    assert len(near) < SEED_QUESTIONS // 4


# --- the deck is written in our own words ----------------------------------------------------


def test_no_eight_word_run_of_the_seed_appears_in_the_deck() -> None:
    seed_runs = shingles(prose_lines(seed_text()), SHINGLE_WORDS)
    copied = shingles(prose_lines(deck_text()), SHINGLE_WORDS) & seed_runs
    assert sorted(" ".join(run) for run in copied) == []


def test_no_seed_sentence_appears_in_the_deck() -> None:
    # Card text only: the section titles are fixed by the deck's outline and echo the seed's.
    card_text = "\n".join(f"{card.question}\n{card.answer}" for card in deck_cards())
    deck = " " + " ".join(" ".join(words) for words in prose_lines(card_text)) + " "
    sentences = re.split(r"(?<=[.?!:;])\s+|\n", _MATH.sub("\n", seed_text()))
    copied = []
    for sentence in sentences:
        words = [w for line in prose_lines(sentence) for w in line]
        if len(words) >= MIN_SENTENCE_WORDS and f" {' '.join(words)} " in deck:
            copied.append(sentence.strip())
    assert copied == []


def test_no_seven_word_run_of_the_seed_survives_in_a_card_even_reworded() -> None:
    seed_runs = shingles(folded_sentences(seed_text()), PARAPHRASE_RUN)
    copied = {
        card_id: sorted(" ".join(run) for run in shingles(sentences, PARAPHRASE_RUN) & seed_runs)
        for card_id, sentences in card_sentences().items()
    }
    assert {card_id: runs for card_id, runs in copied.items() if runs} == {}


def test_no_card_sentence_is_a_reworded_seed_sentence() -> None:
    seed = [s for s in folded_sentences(seed_text()) if len(s) >= MIN_PARAPHRASE_WORDS]
    close = {}
    for card_id, sentences in card_sentences().items():
        for sentence in sentences:
            if len(sentence) < MIN_PARAPHRASE_WORDS:
                continue
            matcher = difflib.SequenceMatcher(autojunk=False)
            matcher.set_seq2(sentence)
            for other in seed:
                matcher.set_seq1(other)
                if matcher.quick_ratio() < PARAPHRASE_RATIO:  # an upper bound: skip the rest
                    continue
                if (ratio := matcher.ratio()) >= PARAPHRASE_RATIO:
                    close.setdefault(card_id, []).append(f"{ratio:.2f}: {' '.join(sentence)}")
    assert close == {}
