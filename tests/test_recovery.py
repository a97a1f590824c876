"""Interrupted ingestion, for real: a subprocess killed with SIGKILL or SIGINT mid-batch."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from qa.config import Settings
from qa.embed import SentenceTransformerEmbedder
from qa.index import VectorIndex
from qa.ingest.pipeline import Ingestor
from qa.store import Store
from tests.helpers import article_file

ARTICLES = 150
SENTENCES = 8

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX signals")


def make_collection(folder: Path) -> None:
    for n in range(ARTICLES):
        sentences = [
            f"Councillor {n} said item {k} of the budget for district {n} was approved."
            for k in range(SENTENCES)
        ]
        article_file(folder, f"story-{n:03d}.txt", f"Council story number {n}", sentences)


def start_ingest(folder: Path, index: Path) -> subprocess.Popen[bytes]:
    env = dict(os.environ, NEWSQA_EMBED_GROUP_SIZE="40", HF_HUB_OFFLINE="1")
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


@pytest.mark.slow
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
    assert VectorIndex.open(settings).count() == ARTICLES * SENTENCES
