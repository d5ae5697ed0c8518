"""``Glossary.prefix``: entities by the beginning of a spelling, for search as you type (issue 17)."""

from __future__ import annotations

import pytest

from glossary import Glossary, InputError


def test_an_unfinished_spelling_in_either_script_finds_its_entity(filled: Glossary) -> None:
    for typed in ("بيونغ", "بيونج يا", "Pyong", "pyongy", "  PYONG "):  # (بيون is Pune, a whole name)
        found = filled.prefix(typed)
        assert found, typed
        assert found[0].english == "Pyongyang", (typed, found)
        assert found[0].reason == "prefix"


def test_each_entity_comes_once_with_its_shortest_spelling_and_the_share_typed(filled: Glossary) -> None:
    found = filled.prefix("بيونغ", limit=50)
    ids = [m.entity_id for m in found]
    assert len(ids) == len(set(ids))
    pyongyang = next(m for m in found if m.english == "Pyongyang")
    assert pyongyang.matched == "بيونغيانغ"  # its shortest spelling: the canonical بيونغ يانغ has a space more
    assert pyongyang.score == round(100 * len("بيونغ") / len("بيونغيانغ"), 1)
    scores = [m.score for m in found]
    assert scores == sorted(scores, reverse=True)
    whole = filled.prefix("Pyongyang")[0]
    assert (whole.english, whole.score) == ("Pyongyang", 100.0)


def test_a_prefix_is_normalized_like_the_stored_spellings(empty: Glossary) -> None:
    eid = empty.add("Ahmed", "أحمد", kind="person")
    assert [m.entity_id for m in empty.prefix("احم")] == [eid]  # hamza on alef folded
    assert [m.entity_id for m in empty.prefix("AHM")] == [eid]
    assert empty.prefix("احمدي") == []
    assert empty.prefix("") == [] and empty.prefix("  ") == [] and empty.prefix("،") == []


def test_suggested_spellings_are_not_offered_and_the_limit_holds(empty: Glossary) -> None:
    eid = empty.add("Moscow", "موسكو", kind="place")
    empty.suggest_variants([(eid, "موسكوف")])
    assert empty.prefix("موسكوف") == []
    for i in range(12):
        empty.add(f"Mos {i:02d}", f"موس {i:02d}", kind="place")
    assert len(empty.prefix("mos", limit=5)) == 5
    assert len(empty.prefix("mos", limit=50)) == 13


def test_bad_arguments_are_input_errors(empty: Glossary) -> None:
    with pytest.raises(InputError):
        empty.prefix("x" * 301)
    with pytest.raises(InputError):
        empty.prefix("x", limit=0)
