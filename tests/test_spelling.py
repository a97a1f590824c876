"""Misspelt question words corrected to a real store's own words."""

from __future__ import annotations

from pathlib import Path

import pytest

from qa.spelling import Correction, Speller, english_words
from qa.store import SourceRef, Store
from tests.helpers import make_article

SENTENCES = [
    "About 4,200 residents were evacuated from the Lower Quay.",
    "Residents said the flood came within minutes.",
    "The residents of Port Elara returned on Friday.",
    "Two judges heard the case in March.",
    "A budget nudge was agreed by the council.",
    "The vote was close.",
]


def store_with(tmp_path: Path, *bodies: str) -> Store:
    store = Store.open(tmp_path / "s.sqlite3")
    for n, body in enumerate(bodies):
        key = f"a{n}"
        article = make_article(body, origin=key)
        store.save_container(key, "h", [(SourceRef(key, key, key), article)], drop_missing=True)
    return store


@pytest.fixture
def speller(tmp_path: Path) -> Speller:
    return Speller(store_with(tmp_path, "\n\n".join(SENTENCES)))


def test_misspelt_words_become_the_collections_words(speller: Speller) -> None:
    assert speller.correct("How many resdents were evacuted?") == Correction(
        "How many residents were evacuated?", (("resdents", "residents"), ("evacuted", "evacuated"))
    )
    # A sentence's first word keeps its capital; what is around the words is kept as typed.
    assert speller.correct("Resdents evacuted in 2026, from the flod?").text == (
        "Residents evacuated in 2026, from the flood?"
    )


@pytest.mark.parametrize(
    "question",
    [
        "How many residents were evacuated?",  # known words
        "What did Zorblax say about Resdents Holdings?",  # names typed with a capital
        "What did zorblax say?",  # nothing close
        "What did the judge say?",  # an inflection of the collection's "judges"
        "Did they lose the vote?",  # an English word the collection does not use ("close")
        "Who paid the bill?",  # short words
        "How much did the budjet rise?",  # nothing within the cutoff for a 6-letter word
    ],
)
def test_known_words_names_real_words_and_nonsense_are_left_as_typed(
    speller: Speller, question: str
) -> None:
    assert speller.correct(question) == Correction(question)


def test_english_words_are_what_keeps_a_real_word_from_a_near_one(tmp_path: Path) -> None:
    store = store_with(tmp_path, "\n\n".join(SENTENCES))
    assert "lose" in english_words() and "resdents" not in english_words()
    # Without the list, "lose" (absent) would be searched as "close" (present).
    assert Speller(store, english=frozenset()).correct("did they lose").text == "did they close"


@pytest.mark.parametrize(
    ("frequent", "other"), [("frambozat", "frambozit"), ("frambozit", "frambozat")]
)
def test_equally_close_words_go_to_the_more_frequent(
    tmp_path: Path, frequent: str, other: str
) -> None:
    store = store_with(tmp_path, f"The {other} came.", f"A {frequent} left.\n\nThe {frequent} won.")
    assert Speller(store).correct("the frambozt").text == f"the {frequent}"


def test_an_empty_vocabulary_corrects_nothing(tmp_path: Path) -> None:
    store = store_with(tmp_path, "\n\n".join(SENTENCES))
    store._db.run("DELETE FROM vocabulary")  # an index made before the vocabulary
    assert Speller(store).correct("How many resdents?") == Correction("How many resdents?")
    assert Speller(Store.open(tmp_path / "empty.sqlite3")).correct("resdents") == Correction(
        "resdents"
    )


def test_rare_and_later_words_are_known_though_not_held_in_memory(tmp_path: Path) -> None:
    # Only the most frequent word is held as a candidate; the table still knows the others.
    store = store_with(tmp_path, "\n\n".join(SENTENCES))
    speller = Speller(store, limit=1)
    assert speller.correct("Did the residetns agree?").text == "Did the residents agree?"
    store_with_more = make_article("The evacutees were counted.", origin="late")
    store.save_container(
        "late", "h", [(SourceRef("late", "late", "late"), store_with_more)], drop_missing=True
    )
    assert speller.correct("How many evacutees?") == Correction("How many evacutees?")
