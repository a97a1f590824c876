"""What newsqa makes on disk is its owner's only: the index holds every article, upload and
conversation (issue 24)."""

from __future__ import annotations

import stat
from pathlib import Path

from qa.config import Settings
from qa.embed import SentenceTransformerEmbedder
from qa.ingest.pipeline import Ingestor
from qa.ingest.uploads import save_uploads
from tests.helpers import article_file


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_an_index_made_by_an_ingest_is_owner_only(
    tmp_path: Path, embedder: SentenceTransformerEmbedder
) -> None:
    index = tmp_path / "deep" / "index"
    settings = Settings(index_dir=index)
    story = article_file(tmp_path, "a.txt", "Flood", ["The river rose by two metres overnight."])
    Ingestor(settings, embedder=embedder, prepare_query_model=False).ingest([str(story)])
    for folder in (tmp_path / "deep", index, index / "chroma", index / "keywords"):
        assert mode(folder) == 0o700, folder
    for folder in [p for p in index.iterdir() if p.is_dir()]:  # every folder newsqa made
        assert mode(folder) == 0o700, folder
    store = index / "newsqa.sqlite3"
    for file in (store, store.with_name(store.name + "-wal")):
        assert file.exists() and mode(file) == 0o600, file
    saved = save_uploads(index, [("story.txt", b"Title: x\n\nA story.")])
    assert mode(index / "uploads") == 0o700 and mode(saved[0]) == 0o600


def test_folders_made_before_are_left_as_they_are(
    tmp_path: Path, embedder: SentenceTransformerEmbedder
) -> None:
    # An administrator may have opened a shared index up on purpose.
    index = tmp_path / "shared"
    index.mkdir()
    index.chmod(0o750)
    story = article_file(tmp_path, "a.txt", "Flood", ["The river rose by two metres overnight."])
    Ingestor(Settings(index_dir=index), embedder=embedder, prepare_query_model=False).ingest(
        [str(story)]
    )
    assert mode(index) == 0o750 and mode(index / "newsqa.sqlite3") == 0o600
