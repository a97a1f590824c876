"""What readers say about answers: a verdict (kind 'feedback'), or an answer they want kept as a
test case (kind 'fixture', with the case made of it).

Records live in the index's SQLite file, in a `feedback` table this module creates on open (an
index made before keeps its table and rows): `FeedbackLog` is the SQLite `FeedbackStore` of
`qa.store.protocols`. Each record is a row of that table as a dict, with `answer` (and
`fixture`, when there is one) read back from JSON.

    log = FeedbackLog(settings.store_path)
    log.save(answer.to_dict(), kind="feedback", rating=-1, comment="wrong date")
    cases = [r["fixture"] for r in log.records("fixture")]
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from qa.store import FeedbackStore, connect, timestamp

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


class FeedbackLog(FeedbackStore):
    """The feedback kept in the index whose SQLite file is `path` (which must exist)."""

    def __init__(self, path: Path) -> None:
        self._db = connect(path, _SCHEMA)

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
        cursor = self._db.execute(
            "SELECT * FROM feedback WHERE ? IS NULL OR kind = ? ORDER BY id", (kind, kind)
        )
        names = [column[0] for column in cursor.description]
        return [_record(dict(zip(names, values, strict=True))) for values in cursor.fetchall()]

    def close(self) -> None:
        self._db.close()


def _record(columns: dict[str, Any]) -> dict[str, Any]:
    """A row of the table as a dict, with the answer (and fixture) read back from JSON."""
    fixture = columns["fixture"]
    return columns | {
        "answer": json.loads(columns["answer"]),
        "fixture": json.loads(fixture) if fixture else None,
    }
