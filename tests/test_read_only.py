"""A read-only index (a read-only mount, or a copy nobody may write) is asked, counted and
briefed as it is: `ask`, `stats` and `brief` run on it, say that adding is off, and write
nothing. The mount is a real one: a read-only bind mount in a mount namespace of its own
(`unshare -m`), which root ignores no more than any user would."""

from __future__ import annotations

import hashlib
import json
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import copy_index

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
