"""Why the index's SQLite file could not be opened, in words that lead to the fix."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from qa.errors import StoreError


def missing_index(path: Path) -> StoreError:
    return StoreError(
        f"no index at {path.parent}: run 'newsqa ingest PATH' (or 'newsqa ingest --sample')"
    )


def folder_error(path: Path, exc: OSError) -> StoreError:
    return StoreError(
        f"cannot create the index folder {path.parent}: {exc.strerror or exc}: give another --index"
    )


def open_error(path: Path, exc: sqlite3.DatabaseError) -> StoreError:
    """Why the store could not be opened, in words that lead to the fix."""
    name = getattr(exc, "sqlite_errorname", "")
    if path.is_dir():
        return StoreError(
            f"{path} is a folder, not a newsqa store: move it away, or give another --index"
        )
    if name.startswith(("SQLITE_READONLY", "SQLITE_CANTOPEN", "SQLITE_PERM")) or not _writable(
        path
    ):
        return StoreError(
            f"cannot write the index at {path.parent}: {exc} (the folder or {path.name} is "
            "read-only or permission is denied): make it writable, or give another --index"
        )
    if name.startswith("SQLITE_FULL"):
        return StoreError(f"cannot write the index at {path.parent}: the disk is full: free space")
    if name.startswith("SQLITE_BUSY"):
        return StoreError(
            f"the index at {path.parent} is locked by another newsqa run: wait for it to end"
        )
    return StoreError(
        f"cannot open the store {path}: {exc} (is it a newsqa index? move it away and ingest again)"
    )


def write_error(path: Path, exc: sqlite3.DatabaseError) -> StoreError:
    """Why a write to the store failed; what was committed before it is kept."""
    name = getattr(exc, "sqlite_errorname", "")
    if name.startswith("SQLITE_FULL") or "full" in str(exc):
        return StoreError(
            f"cannot write the index at {path.parent}: the disk is full: free space and run "
            "the same ingest again (everything stored before is kept)"
        )
    if name.startswith("SQLITE_READONLY"):
        return StoreError(
            f"cannot write the index at {path.parent}: it became read-only: make it writable "
            "and run the same ingest again"
        )
    return StoreError(f"cannot write the index at {path.parent}: {exc}: run the same ingest again")


def _writable(path: Path) -> bool:
    """Whether this process may write the store file (or create it in its folder)."""
    return os.access(path if path.exists() else path.parent, os.W_OK)
