"""The collection's raw words in the index's SQLite file: counted at ingest, forgotten with
their sentences, filled once for an index made before them."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from qa.config import Settings
from qa.embed import SentenceTransformerEmbedder
from qa.ingest.pipeline import Ingestor
from qa.ingest.sources import sample_dir
from qa.store import SourceRef, Store
from tests.helpers import make_article


def ref(key: str) -> SourceRef:
    return SourceRef(key=key, origin=key, container=key)


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store.open(tmp_path / "s.sqlite3")


def counts(store: Store) -> dict[str, int]:
    return dict(store.frequent_words(limit=1_000_000))


def test_saved_sentences_count_their_words_lower_cased(store: Store) -> None:
    article = make_article(
        "Residents of Port Elara were evacuated, residents said.\n\n"
        "About 4,200 residents left on Halcyon-2 day."
    )
    store.save_container("a", "h", [(ref("a"), article)], drop_missing=True)
    found = counts(store)
    # Sentences using a word, not its occurrences; runs of 3+ letters; no digits.
    assert found["residents"] == 2 and found["evacuated"] == 1 and found["halcyon"] == 1
    assert "of" not in found and "4,200" not in found and "Port" not in found
    assert found["port"] == 1


def test_the_words_of_a_replaced_article_are_forgotten_and_unchanged_inputs_count_once(
    store: Store,
) -> None:
    old = make_article("The river rose two metres overnight.")
    new = make_article("The river rose three metres, officials corrected.")
    store.save_container("a", "h1", [(ref("a"), old)], drop_missing=True)
    store.save_container("a", "h1", [(ref("a"), old)], drop_missing=True)  # the same again
    assert counts(store)["river"] == 1
    store.save_container("a", "h2", [(ref("a"), new)], drop_missing=True)
    found = counts(store)
    assert "overnight" not in found and "two" not in found
    assert found["river"] == 1 and found["corrected"] == 1


def test_known_words_include_inflections_the_search_finds(store: Store) -> None:
    article = make_article("The commission was chaired by Ines Albrecht.")
    store.save_container("a", "h", [(ref("a"), article)], drop_missing=True)
    assert store.known_words(["chaired", "chairing", "albrecht", "zorblax"]) == {
        "chaired", "chairing", "albrecht",
    }  # fmt: skip


def test_an_index_made_before_the_vocabulary_is_filled_by_the_next_ingest(
    sample_copy: Path, embedder: SentenceTransformerEmbedder
) -> None:
    settings = Settings(index_dir=sample_copy)
    before = counts(Store.open(settings.store_path))
    assert before["residents"] >= 10 and before["evacuated"] >= 3
    with closing(sqlite3.connect(settings.store_path)) as db, db:
        # As newsqa left an index before the vocabulary: no table, no meta key.
        db.execute("DROP TABLE vocabulary")
        db.execute("DELETE FROM meta WHERE key = 'vocabulary_version'")
    store = Store.open(settings.store_path)
    articles, sentences = store.article_count(), store.sentence_count()
    assert counts(store) == {}  # made empty on open; questions are not corrected yet
    report = Ingestor(settings, store=store, embedder=embedder).ingest([str(sample_dir())])
    assert report.added == 0 and report.failed == []
    assert counts(store) == before
    assert (store.article_count(), store.sentence_count()) == (articles, sentences)
    # Filled once: the next ingest neither counts again nor loses a word.
    assert store.fill_vocabulary() == 0
    Ingestor(settings, store=store, embedder=embedder).ingest([str(sample_dir())])
    assert counts(store) == before
