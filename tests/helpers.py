"""Small builders shared by tests: articles written here, files on disk, loopback servers."""

from __future__ import annotations

import http.server
import os
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from qa.ingest.build import build_article
from qa.types import Answer, Article, Citation, Outcome, RawArticle

# One answer with one citation, for tests that keep or show answers without asking.
CITATION = Citation(
    n=1, article_id="a1", title="Talks fail", source="Harbour Daily", author=None,
    published="2026-03-04", url="https://harbour.example/talks", path="t.txt",
    sentence="Talks failed on Tuesday.", sentence_index=1, start=0, end=10,
)  # fmt: skip
ANSWER = Answer("Q?", "A. [1]", (CITATION,), Outcome.ANSWER)


def make_article(
    body: str, *, title: str = "A headline", origin: str = "t.txt", **meta: str
) -> Article:
    return build_article(RawArticle(origin=origin, body=body, title=title, **meta))


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding=encoding)
    return path


def article_file(
    directory: Path,
    name: str,
    title: str,
    sentences: list[str],
    *,
    outlet: str = "Test Times",
    date: str = "2026-03-01",
) -> Path:
    body = "\n\n".join(sentences)
    return write(
        directory / name,
        f"Title: {title}\nSource: {outlet}\nDate: {date}\nURL: https://test.example/{name}\n\n{body}\n",
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


Routes = dict[str, tuple[int, str, bytes]]  # path -> (status, content type, body)


@contextmanager
def serve(routes: Routes | Callable[[str], tuple[int, str, bytes]]) -> Iterator[str]:
    """A real HTTP server on 127.0.0.1 serving fixed responses; yields its base URL."""

    def respond(path: str) -> tuple[int, str, bytes]:
        if callable(routes):
            return routes(path)
        return routes.get(path, (404, "text/plain", b"not found"))

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - the stdlib's name
            status, content_type, body = respond(self.path)
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def stop_process(process: subprocess.Popen[bytes], *, grace: float = 10.0) -> None:
    """Stop a server the test started, by its PID: SIGTERM, then SIGKILL after `grace` s."""
    if process.poll() is not None:
        return
    os.kill(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        os.kill(process.pid, signal.SIGKILL)
        process.wait()


# -- the page, in a real browser (tests/test_browser.py and scripts/bench_page.py) ---------------

REPO = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")  # Debian's package; Playwright's own download fails here
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-gpu",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def start_streamlit(
    index: Path,
    log: Path,
    *,
    address: str | None = "127.0.0.1",
    port: int | None = None,
    options: tuple[str, ...] = (),
    env_extra: dict[str, str] | None = None,
    first: str | None = None,
) -> tuple[subprocess.Popen[bytes], str]:
    """`streamlit run app.py` over `index` on `port` (default: a free one) of `address` (None:
    what `.streamlit/config.toml` says), with more Streamlit `options` and environment, output
    to `log`; returns the process and its loopback URL (poll `streamlit_healthy` until it
    serves). `first`: a shell command run before it in a mount namespace of its own
    (`unshare -m`), e.g. to mount the index read-only for this server alone."""
    port = port or free_port()
    env = {
        k: v for k, v in os.environ.items() if not k.startswith("NEWSQA_") and k != "OPENAI_API_KEY"
    }
    env.update(
        NEWSQA_INDEX_DIR=str(index.resolve()), HF_HUB_OFFLINE="1", TOKENIZERS_PARALLELISM="false"
    )
    env.update(env_extra or {})
    command = [
        sys.executable, "-m", "streamlit", "run", "app.py",
        "--server.headless", "true",
        *(["--server.address", address] if address else []),
        "--server.port", str(port),
        "--browser.gatherUsageStats", "false",
        # app.py may be edited while a suite runs: no "source changed" reruns mid-test.
        "--server.fileWatcherType", "none",
        *options,
    ]  # fmt: skip
    if first:
        command = ["unshare", "-m", "sh", "-c", f"{first} && exec {shlex.join(command)}"]
    with log.open("wb") as out:
        process = subprocess.Popen(command, cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT)
    return process, f"http://127.0.0.1:{port}"


@contextmanager
def serving(index: Path, log: Path, **options: Any) -> Iterator[str]:
    """`start_streamlit(index, log, **options)`, waited on until it serves, stopped at the end;
    yields its URL. Fails the test with the end of its log when it exits first or takes more
    than a minute."""
    import pytest

    process, url = start_streamlit(index, log, **options)
    try:
        deadline = time.monotonic() + 60
        while not streamlit_healthy(url):
            if process.poll() is not None or time.monotonic() > deadline:
                tail = log.read_text(errors="replace")[-3000:]
                pytest.fail(f"streamlit did not serve (exit {process.poll()}):\n{tail}")
            time.sleep(0.25)
        yield url
    finally:
        stop_process(process)


def streamlit_healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
            return bool(response.read().strip() == b"ok")
    except OSError:
        return False


def copy_index(source: Path, target: Path) -> Path:
    """A copy of an index folder that can be written to without touching the original."""
    # The exported question model is only ever read: linked, not copied (90 MB).
    shutil.copytree(source, target, ignore=shutil.ignore_patterns("*.onnx"))
    for model in source.rglob("*.onnx"):
        os.link(model, target / model.relative_to(source))
    return target
