"""The scale path: a real `chroma run` server on 127.0.0.1, started and stopped by PID."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from qa.config import Settings
from qa.embed import SentenceTransformerEmbedder
from qa.errors import VectorIndexError
from qa.index import VectorIndex
from qa.ingest.pipeline import Ingestor
from qa.store import Store
from tests.helpers import article_file, free_port, stop_process

pytestmark = pytest.mark.integration

SENTENCES = [
    "The Halcyon-2 satellite reached orbit after a launch from the Tarven coast.",
    "Engineers said the main antenna had failed to unfold on the first attempt.",
    "A second attempt to deploy the antenna is planned for Thursday.",
]


@pytest.fixture
def chroma_server(tmp_path: Path) -> Iterator[str]:
    port = free_port()
    chroma = Path(sys.executable).parent / "chroma"
    process = subprocess.Popen(
        [str(chroma), "run", "--path", str(tmp_path / "server-data"), "--host", "127.0.0.1",
         "--port", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            assert process.poll() is None, "chroma run exited"
            try:
                if httpx.get(f"{url}/api/v2/heartbeat", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline, "chroma server did not come up in 60 s"
            time.sleep(0.2)
        yield url
    finally:
        stop_process(process, grace=20)


def test_ingest_and_query_through_a_chroma_server(
    chroma_server: str, tmp_path: Path, embedder: SentenceTransformerEmbedder
) -> None:
    settings = Settings(index_dir=tmp_path / "index", chroma_url=chroma_server)
    path = article_file(tmp_path, "halcyon.txt", "Halcyon-2 antenna fails", SENTENCES)
    report = Ingestor(settings, embedder=embedder, prepare_query_model=False).ingest([str(path)])
    assert report.vectors_added == 3
    index = VectorIndex.open(settings.chroma)
    assert index.count() == 3
    assert not (tmp_path / "index" / "chroma").exists()  # nothing went to the embedded store
    hits = index.query(embedder.embed(["When will they retry the antenna?"])[0], k=3)
    assert hits[0][1] == 2 and hits[0][2] > 0.4


def test_unreachable_server_keeps_the_store_and_a_rerun_completes(
    chroma_server: str, tmp_path: Path, embedder: SentenceTransformerEmbedder
) -> None:
    path = article_file(tmp_path, "halcyon.txt", "Halcyon-2 antenna fails", SENTENCES)
    down = Settings(index_dir=tmp_path / "index", chroma_url=f"http://127.0.0.1:{free_port()}")
    with pytest.raises(VectorIndexError, match="cannot reach the Chroma server") as caught:
        Ingestor(down, embedder=embedder, prepare_query_model=False).ingest([str(path)])
    assert "\n" not in str(caught.value)
    store = Store.open(down.store_path)
    assert (store.stats().articles, store.stats().unindexed) == (1, 1)

    up = Settings(index_dir=tmp_path / "index", chroma_url=chroma_server)
    report = Ingestor(up, embedder=embedder, prepare_query_model=False).ingest([str(path)])
    assert (report.unchanged, report.vectors_added) == (1, 3)
    assert Store.open(up.store_path).stats().unindexed == 0
