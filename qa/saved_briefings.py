"""Readers' saved briefings: each briefing a reader makes is kept, listed newest first, opened
again as it was made (its citations included) and deleted, by that reader only.

They live in the index's SQLite file, in a `briefings` table this module creates on open, next
to the saved conversations (`qa.conversations`) and keyed the same way: by a digest of the
reader id, never the id itself. A briefing is kept as `Briefing.to_dict` gives it.

    saved = SavedBriefings(settings.store_path)
    briefing_id = saved.save(briefing, reader="oidc:alice")
    [(b.topic, b.created_at) for b in saved.recent("oidc:alice")]
    saved.owned(briefing_id, "oidc:alice")      # the Briefing, or None for anyone else
"""

from __future__ import annotations

import json
import sqlite3
import uuid
from dataclasses import dataclass
from pathlib import Path

from qa.brief.types import Briefing
from qa.conversations import reader_key
from qa.errors import StoreError
from qa.store import connect, timestamp

_SCHEMA = """
CREATE TABLE IF NOT EXISTS briefings (
    id TEXT PRIMARY KEY,
    reader TEXT NOT NULL,
    topic TEXT NOT NULL,
    created_at TEXT NOT NULL,
    body TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS briefings_reader ON briefings(reader, created_at);
"""


@dataclass(frozen=True)
class BriefingInfo:
    """One saved briefing as a reader's list shows it."""

    id: str
    topic: str
    created_at: str  # UTC, ISO
    articles: int


class SavedBriefings:
    """The saved briefings of the index whose SQLite file is `path` (which must exist)."""

    def __init__(self, path: Path) -> None:
        try:
            self._db = connect(path, _SCHEMA)
        except sqlite3.Error as exc:
            raise StoreError(f"saved briefings in {path}: {exc}") from None

    def save(self, briefing: Briefing, *, reader: str) -> str:
        """Keep the reader's briefing under a new id nobody can guess; returns the id."""
        briefing_id = uuid.uuid4().hex
        body = json.dumps(briefing.to_dict(), ensure_ascii=False)
        with self._db:
            self._db.execute(
                "INSERT INTO briefings(id, reader, topic, created_at, body) VALUES (?, ?, ?, ?, ?)",
                (briefing_id, reader_key(reader), briefing.topic, timestamp(), body),
            )
        return briefing_id

    def recent(self, reader: str, limit: int = 20) -> list[BriefingInfo]:
        """This reader's latest briefings first."""
        rows = self._db.execute(
            "SELECT id, topic, created_at, json_extract(body, '$.articles') FROM briefings "
            "WHERE reader = ? ORDER BY created_at DESC, rowid DESC LIMIT ?",
            (reader_key(reader), limit),
        ).fetchall()
        return [BriefingInfo(str(i), str(t), str(c), int(n or 0)) for i, t, c, n in rows]

    def owned(self, briefing_id: str, reader: str) -> Briefing | None:
        """The reader's briefing by its id; None for an unknown id or another reader's."""
        row = self._db.execute(
            "SELECT body FROM briefings WHERE id = ? AND reader = ?",
            (briefing_id, reader_key(reader)),
        ).fetchone()
        return None if row is None else Briefing.from_dict(json.loads(row[0]))

    def delete(self, briefing_id: str, *, reader: str) -> None:
        """Delete the reader's briefing; another reader's stays."""
        with self._db:
            self._db.execute(
                "DELETE FROM briefings WHERE id = ? AND reader = ?",
                (briefing_id, reader_key(reader)),
            )

    def close(self) -> None:
        self._db.close()
