"""A read-only index (a read-only mount, or a copy nobody may write) is asked, counted and
briefed as it is: `ask`, `stats` and `brief` run on it, say that adding is off, and write
nothing. The mount is a real one: a read-only bind mount in a mount namespace of its own
(`unshare -m`), which root ignores no more than any user would."""

from __future__ import annotations

import hashlib
import json
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import copy_index, serving

QUESTION = "How many residents were evacuated in Port Elara?"


def _can_mount_read_only(tmp_path: Path) -> bool:
    folder = tmp_path / "probe"
    folder.mkdir()
    script = f"mount --bind {folder} {folder} && mount -o remount,bind,ro {folder}"
    done = subprocess.run(["unshare", "-m", "sh", "-c", script], capture_output=True)
    return shutil.which("unshare") is not None and done.returncode == 0


def _read_only(index: Path, args: list[str]) -> subprocess.CompletedProcess[str]:
    """`newsqa ARGS --index INDEX` with INDEX mounted read-only for that process alone."""
    command = " ".join(shlex.quote(a) for a in [sys.executable, "-m", "qa", *args, "--index",
                                                 str(index)])  # fmt: skip
    script = (
        f"mount --bind {index} {index} && mount -o remount,bind,ro {index} && "
        f"if touch {index}/written 2>/dev/null; then echo 'not read-only' >&2; exit 99; fi && "
        f"exec {command}"
    )
    return subprocess.run(
        ["unshare", "-m", "sh", "-c", script], capture_output=True, text=True, timeout=300
    )


def _digest(folder: Path) -> str:
    files = sorted(p for p in folder.rglob("*") if p.is_file())
    return hashlib.sha256(b"".join(p.name.encode() + p.read_bytes() for p in files)).hexdigest()


@pytest.mark.slow  # three newsqa processes
def test_ask_stats_and_brief_read_a_read_only_index_and_write_nothing(
    sample_settings: object, tmp_path: Path
) -> None:
    if not _can_mount_read_only(tmp_path):
        pytest.skip("needs `unshare -m` and bind mounts (root or user namespaces)")
    index = copy_index(sample_settings.index_dir, tmp_path / "index")  # type: ignore[attr-defined]
    before = _digest(index)
    ask = _read_only(index, ["ask", QUESTION, "--json"])
    assert ask.returncode == 0, ask.stderr[-2000:]
    answer = json.loads(ask.stdout)
    assert answer["short_answer"] == "4,200 residents" and answer["citations"]
    stats = _read_only(index, ["stats"])
    assert stats.returncode == 0, stats.stderr[-2000:]
    assert "articles: 26" in stats.stdout and "adding is off" in stats.stdout
    brief = _read_only(index, ["brief", "Port Elara flood"])
    assert brief.returncode == 0, brief.stderr[-2000:]
    assert "# Briefing: Port Elara flood" in brief.stdout
    # Adding fails with one line saying why.
    ingest = _read_only(index, ["ingest", "--sample"])
    assert ingest.returncode != 0 and "read-only" in ingest.stderr, ingest.stderr[-2000:]
    assert "Traceback" not in ingest.stderr
    assert _digest(index) == before


@pytest.mark.integration  # a real `streamlit run` under its own mount and a real browser
def test_the_page_answers_from_a_read_only_index_and_keeps_conversations_meanwhile(
    sample_settings: object, tmp_path: Path
) -> None:
    if not _can_mount_read_only(tmp_path):
        pytest.skip("needs `unshare -m` and bind mounts (root or user namespaces)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="needs `make browser-deps`")
    from tests.helpers import CHROMIUM, CHROMIUM_ARGS

    if not CHROMIUM.exists():
        pytest.skip("needs Debian's chromium (make browser-deps)")
    index = copy_index(sample_settings.index_dir, tmp_path / "index")  # type: ignore[attr-defined]
    before = _digest(index)
    log = tmp_path / "streamlit.log"
    mount = f"mount --bind {index} {index} && mount -o remount,bind,ro {index}"
    with serving(index, log, first=mount) as url:
        with sync_api.sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            page = browser.new_page()
            page.set_default_timeout(60_000)
            page.goto(url)
            sidebar = page.locator('[data-testid="stSidebar"]')
            sync_api.expect(sidebar).to_contain_text(
                "Read-only index: asking works, adding is off."
            )
            assert "Add articles" not in sidebar.inner_text()
            box = page.locator('[data-testid="stChatInputTextArea"]')
            box.fill(QUESTION)
            box.press("Enter")
            page.locator("#nq-src-1-1").wait_for(state="visible")
            sync_api.expect(page.locator(".nq-answer")).to_contain_text("4,200")
            # Kept by this server (not in the index) and listed as an earlier conversation.
            sidebar.get_by_role("button", name="New conversation").click()
            sync_api.expect(
                sidebar.get_by_role("button", name=re.compile(QUESTION[:20]))
            ).to_be_visible()
            browser.close()
        assert "Traceback" not in log.read_text(errors="replace")
    assert _digest(index) == before


def test_a_read_only_store_is_copied_once_per_state_of_its_log(tmp_path: Path) -> None:
    from qa.store.sqlite.database import _private_copy

    path, wal = tmp_path / "newsqa.sqlite3", tmp_path / "newsqa.sqlite3-wal"
    path.write_bytes(b"db")
    wal.write_bytes(b"log")
    first = _private_copy(path, wal)
    assert _private_copy(path, wal) == first and first.read_bytes() == b"db"
    wal.write_bytes(b"a longer log")  # written meanwhile through another path: copied again
    assert _private_copy(path, wal) != first
