"""What a visitor can make the page do: fetch public http(s) URLs only, within one time and size
budget, and never read the server's own files."""

from __future__ import annotations

import http.server
import socket
import threading
import time
import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from qa.config import Settings
from qa.errors import InputError
from qa.ingest import fetch as fetch_module
from qa.ingest.fetch import fetch
from qa.ingest.uploads import ingest_items, page_urls
from tests.helpers import serve

REPO = Path(__file__).resolve().parents[1]
PAGE = (
    b"<html><head><title>Harbour reopens</title></head><body><article><p>"
    + (b"The harbour reopened on Monday after repairs to the sea wall were finished. " * 5)
    + b"</p></article></body></html>"
)


def _get(url: str, *, public_only: bool, timeout: float = 5.0) -> bytes:
    return fetch(url, timeout=timeout, max_bytes=1_000_000, user_agent="t",
                 public_only=public_only).content  # fmt: skip


def test_the_url_box_takes_http_urls_only() -> None:
    urls, refused = page_urls(
        ["https://news.example/story", "README.md", "/etc/passwd", "file:///etc/passwd", "index"]
    )
    assert urls == ["https://news.example/story"]
    assert [r.item for r in refused] == ["README.md", "/etc/passwd", "file:///etc/passwd", "index"]
    assert all(not r.ok and "upload widget" in r.message for r in refused)
    assert all("\n" not in r.message for r in refused)


def test_a_typed_path_is_never_read_from_the_servers_disk(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("Title: Secret\n\nThe server's own secret file must stay unread.\n")
    urls, refused = page_urls([str(secret)])
    assert urls == [] and refused[0].ok is False


def test_loopback_is_refused_for_the_page_and_fetched_for_the_cli() -> None:
    with serve({"/story": (200, "text/html", PAGE)}) as base:
        with pytest.raises(InputError, match="private or local address"):
            _get(f"{base}/story", public_only=True)
        assert _get(f"{base}/story", public_only=False) == PAGE


@pytest.mark.parametrize(
    "address",
    ["127.0.0.1", "10.1.2.3", "172.16.0.9", "192.168.1.1", "169.254.169.254", "::1", "fe80::1",
     "::ffff:127.0.0.1", "0.0.0.0", "100.64.0.1", "224.0.0.1"],
)  # fmt: skip
def test_non_public_addresses_are_not_allowed(address: str) -> None:
    assert not fetch_module._allowed(address)


def test_public_addresses_are_allowed() -> None:
    assert fetch_module._allowed("93.184.216.34") and fetch_module._allowed("2606:4700::1111")


@contextmanager
def _names(monkeypatch: pytest.MonkeyPatch, table: dict[str, str]) -> Iterator[None]:
    """Resolve made-up names to fixed addresses, as a DNS server would."""
    real = socket.getaddrinfo

    def resolve(host: str, port: Any, *args: Any, **kwargs: Any) -> Any:
        if host in table:
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (table[host], port))]
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(fetch_module.socket, "getaddrinfo", resolve)
    yield


def test_a_redirect_to_the_metadata_address_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    # news.test stands for a public server (its loopback address is let through here) that
    # redirects to the cloud metadata service.
    monkeypatch.setattr(fetch_module, "_allowed", lambda a: a == "127.0.0.1")

    class Redirecting(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - the stdlib's name
            self.send_response(302)
            self.send_header("Location", "http://metadata.test/latest/meta-data/")
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Redirecting)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        table = {"news.test": "127.0.0.1", "metadata.test": "169.254.169.254"}
        with _names(monkeypatch, table), pytest.raises(InputError, match="169.254.169.254"):
            _get(f"http://news.test:{server.server_address[1]}/story", public_only=True)
    finally:
        server.shutdown()
        server.server_close()


def test_the_checked_address_is_the_one_connected_to(monkeypatch: pytest.MonkeyPatch) -> None:
    # "pinned.test" resolves only through our table: the download can succeed only if the
    # connection goes to the address that was checked (no second lookup to rebind).
    monkeypatch.setattr(fetch_module, "_allowed", lambda a: a == "127.0.0.1")
    with serve({"/story": (200, "text/html", PAGE)}) as base:
        port = base.rsplit(":", 1)[1]
        with _names(monkeypatch, {"pinned.test": "127.0.0.1"}):
            assert _get(f"http://pinned.test:{port}/story", public_only=True) == PAGE


def test_the_whole_download_is_bounded_in_time() -> None:
    class Trickle(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - the stdlib's name
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            for _ in range(40):  # one byte every 0.1 s: each read is quick, the whole is not
                self.wfile.write(b"x")
                self.wfile.flush()
                time.sleep(0.1)

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Trickle)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    started = time.monotonic()
    try:
        with pytest.raises(InputError, match="longer than 1 s|within 1 s"):
            _get(f"http://127.0.0.1:{server.server_address[1]}/", public_only=False, timeout=1)
    finally:
        server.shutdown()
        server.server_close()
    assert time.monotonic() - started < 3


def test_the_pages_ingestor_refuses_loopback_unless_the_setting_allows_it(
    tmp_path: Path, embedder: object
) -> None:
    from qa.ingest.pipeline import Ingestor

    settings = Settings(index_dir=tmp_path / "index")
    with serve({"/story": (200, "text/html", PAGE)}) as base:
        page = Ingestor(settings, embedder=embedder, prepare_query_model=False,  # type: ignore[arg-type]
                        public_only=not settings.page_allow_private_urls)  # fmt: skip
        (refused,) = ingest_items(page, [f"{base}/story"])
        assert not refused.ok and "private or local address" in refused.message
        allowed = settings.model_copy(update={"page_allow_private_urls": True})
        trusted = Ingestor(allowed, embedder=embedder, prepare_query_model=False,  # type: ignore[arg-type]
                           public_only=not allowed.page_allow_private_urls)  # fmt: skip
        (added,) = ingest_items(trusted, [f"{base}/story"])
        assert added.ok, added.message


def test_the_deployed_page_has_no_developer_menu_no_watcher_and_our_upload_limit() -> None:
    config = tomllib.loads((REPO / ".streamlit" / "config.toml").read_text())
    assert config["client"]["toolbarMode"] == "viewer"
    assert config["server"]["fileWatcherType"] == "none"
    assert config["server"]["maxUploadSize"] == Settings().max_input_mb
