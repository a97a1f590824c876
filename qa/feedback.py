"""What readers say about answers: a verdict (kind 'feedback'), or an answer they want kept as a
test case (kind 'fixture', with the case made of it).

Records live in the index's SQLite file, in a `feedback` table this module creates on open (an
index made before keeps its table and rows). Each record is a row of that table as a dict, with
`answer` (and `fixture`, when there is one) read back from JSON.

    log = FeedbackLog(settings.store_path)
    log.save(answer.to_dict(), kind="feedback", rating=-1, comment="wrong date")
    cases = [r["fixture"] for r in log.records("fixture")]
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

from qa.store import connect, timestamp

# Column names are those of indexes made when the article store kept this table.
_SCHEMA = """
CREATE TABLE IF NOT EXISTS feedback (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    created_at TEXT NOT NULL,
    kind TEXT NOT NULL,
    rating INTEGER,
    comment TEXT,
    question TEXT NOT NULL,
    answer TEXT NOT NULL,
    fixture TEXT
);
"""


class FeedbackLog:
    """The feedback kept in the index whose SQLite file is `path` (which must exist)."""

    def __init__(self, path: Path) -> None:
        self._db = connect(path, _SCHEMA)
        self._db.row_factory = sqlite3.Row

    def save(
        self,
        answer: dict[str, Any],
        *,
        kind: str,
        rating: int | None,
        comment: str | None,
        fixture: dict[str, Any] | None = None,
    ) -> int:
        """Store a verdict or a fixture with the question, answer and citations; its id."""
        with self._db:
            cursor = self._db.execute(
                "INSERT INTO feedback(created_at, kind, rating, comment, question, answer, "
                "fixture) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (timestamp(), kind, rating, (comment or "").strip() or None, answer["question"],
                 json.dumps(answer, ensure_ascii=False),
                 json.dumps(fixture, ensure_ascii=False) if fixture else None),
            )  # fmt: skip
        return int(cursor.lastrowid or 0)

    def records(self, kind: str | None = None) -> list[dict[str, Any]]:
        """Every record of this kind (all kinds for None), oldest first."""
        rows = self._db.execute(
            "SELECT * FROM feedback WHERE ? IS NULL OR kind = ? ORDER BY id", (kind, kind)
        ).fetchall()
        return [
            dict(row)
            | {
                "answer": json.loads(row["answer"]),
                "fixture": json.loads(row["fixture"]) if row["fixture"] else None,
            }
            for row in rows
        ]

    def close(self) -> None:
        self._db.close()
