"""Files only their owner can read: the index holds every article, upload and conversation.

    private_folder(settings.index_dir)       # mkdir -p; what it makes is 0700
    private_file(settings.store_path)        # 0600 (SQLite gives its -wal and -shm the same)
    temporary_folder("newsqa-chroma-")       # 0700, removed when the process ends

Folders and files made before are left as they are: an administrator may have opened them up
on purpose (a read-only copy shared by a group).
"""

from __future__ import annotations

import atexit
import contextlib
import shutil
import tempfile
from pathlib import Path

FOLDER_MODE = 0o700
FILE_MODE = 0o600


def private_folder(path: Path) -> None:
    """`path` and any missing parents made, each folder made here owner-only. Raises OSError."""
    missing = [p for p in (path, *path.parents) if not p.exists()]
    path.mkdir(parents=True, exist_ok=True)
    for folder in missing:
        # chmod, not mkdir's mode: that one is masked by the umask and skips parents.
        with contextlib.suppress(OSError):  # made by someone else meanwhile
            folder.chmod(FOLDER_MODE)


def private_file(path: Path) -> None:
    """A file this process just made, owner-only. Raises OSError."""
    path.chmod(FILE_MODE)


def temporary_folder(prefix: str) -> Path:
    """A new owner-only folder (mkdtemp makes it 0700), removed with what it holds when the
    process ends: private copies of a read-only index, the page's own store beside one."""
    folder = Path(tempfile.mkdtemp(prefix=prefix))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return folder
