"""quizcalc's note GUIDs are genanki's: a package exported today updates, in Anki, the notes
an older export (which called genanki) added, instead of adding them twice."""

from __future__ import annotations

import genanki
from hypothesis import given
from hypothesis import strategies as st

from quizcalc.exchange.anki_guid import guid_for


@given(st.text(), st.one_of(st.none(), st.integers(min_value=0, max_value=1000)))
def test_the_guid_of_any_note_id_is_genankis(note_id: str, instance: int | None) -> None:
    values = (note_id,) if instance is None else (note_id, instance)
    assert guid_for(*values) == genanki.guid_for(*values)


def test_known_guids_stay_as_they_were() -> None:
    """Pinned values (not recomputed): a change here, ours or a genanki upgrade's, would
    duplicate every learner's notes on their next import."""
    assert guid_for("derivative-meaning") == "dl`/F9i[Yy"
    assert guid_for("") == "ME_YHw2?15"
    assert guid_for("chain-rule", 3) == "Hf=3Un^%.t"
