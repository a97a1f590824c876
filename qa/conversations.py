"""A reader's saved conversations: listed newest first, renamed, deleted.

They live in the index's SQLite file (the `conversations` table the page writes through
`Store.save_conversation`); this module owns listing and naming them, so the store of articles
does not grow another job.

    saved = Conversations(settings.store_path)
    for item in saved.recent():
        print(item.id, item.title, item.turns)
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from qa.errors import StoreError

MAX_TITLE = 80


@dataclass(frozen=True)
class ConversationInfo:
    id: str
    title: str  # the name the reader gave it, else its first question
    updated_at: str
    turns: int


class Conversations:
    def __init__(self, path: Path) -> None:
        try:
            self._db = sqlite3.connect(path, check_same_thread=False, timeout=10)
            columns = {row[1] for row in self._db.execute("PRAGMA table_info(conversations)")}
            if not columns:
                raise StoreError(f"{path} has no saved conversations table: open the page once")
            if "title" not in columns:  # indexes made before conversations could be renamed
                with self._db:
                    self._db.execute("ALTER TABLE conversations ADD COLUMN title TEXT")
        except sqlite3.Error as exc:
            raise StoreError(f"saved conversations in {path}: {exc}") from None

    def recent(self, limit: int = 20) -> list[ConversationInfo]:
        """The latest conversations first."""
        rows = self._db.execute(
            "SELECT id, title, updated_at, answers FROM conversations "
            "ORDER BY updated_at DESC, id LIMIT ?",
            (limit,),
        ).fetchall()
        out = []
        for conversation_id, title, updated_at, answers in rows:
            turns = json.loads(answers)
            if not turns:
                continue
            first = str(turns[0].get("question", "")) or "(no question)"
            name = title or (first if len(first) <= MAX_TITLE else first[: MAX_TITLE - 3] + "...")
            out.append(ConversationInfo(str(conversation_id), name, str(updated_at), len(turns)))
        return out

    def rename(self, conversation_id: str, title: str) -> None:
        title = " ".join(title.split())[:MAX_TITLE]
        with self._db:
            self._db.execute(
                "UPDATE conversations SET title = ? WHERE id = ?", (title or None, conversation_id)
            )

    def delete(self, conversation_id: str) -> None:
        with self._db:
            self._db.execute("DELETE FROM conversations WHERE id = ?", (conversation_id,))

    def close(self) -> None:
        self._db.close()
