"""Readers' saved conversations: saved after each answer, loaded again by id, listed newest
first, renamed and deleted.

They live in the index's SQLite file, in a `conversations` table this module creates on open
(an index made before keeps its table and rows), so the store of articles does not grow another
job: `Conversations` is the SQLite `ConversationStore` of `qa.store.protocols`. A conversation is
the list of its answers as `Answer.to_dict` gives them.

Each conversation belongs to the reader (a browser's random id) who saved it first: only that
reader opens it by its id, sees it listed, renames, shares or deletes it. Sharing makes a
separate token whose link opens it read-only; a conversation saved before readers had ids is
claimed by the first reader who saves to it.

    saved = Conversations(settings.store_path)
    saved.save("3f2a9c0d1e2b", [answer.to_dict()], reader="a1b2...")
    for item in saved.recent("a1b2..."):
        print(item.id, item.title, item.turns)
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import uuid
from pathlib import Path
from typing import Any

from qa.errors import StoreError
from qa.store import ConversationInfo, ConversationStore, connect, timestamp

MAX_TITLE = 80

# Column names are those of indexes made when the article store kept this table; `title` and
# `reader` came later and are added to such tables on open.
_SCHEMA = """
CREATE TABLE IF NOT EXISTS conversations (
    id TEXT PRIMARY KEY,
    updated_at TEXT NOT NULL,
    answers TEXT NOT NULL,
    title TEXT,
    reader TEXT,
    share TEXT UNIQUE
);
"""
_ADDED_COLUMNS = ("title", "reader", "share")


class Conversations(ConversationStore):
    """The saved conversations of the index whose SQLite file is `path` (which must exist)."""

    def __init__(self, path: Path) -> None:
        self._db = connect(path, _SCHEMA)
        try:
            columns = {info[1] for info in self._db.execute("PRAGMA table_info(conversations)")}
            for column in _ADDED_COLUMNS:  # indexes made before it existed
                if column not in columns:
                    with self._db:
                        # SQLite adds no UNIQUE column: the share index is made below.
                        self._db.execute(f"ALTER TABLE conversations ADD COLUMN {column} TEXT")
            self._hash_readers()
            with self._db:
                self._db.execute(
                    "CREATE UNIQUE INDEX IF NOT EXISTS conversations_share "
                    "ON conversations(share) WHERE share IS NOT NULL"
                )
        except sqlite3.Error as exc:
            self._db.close()
            raise StoreError(f"saved conversations in {path}: {exc}") from None

    def save(self, conversation_id: str, answers: list[dict[str, Any]], *, reader: str) -> None:
        """Keep the conversation's answers so far, replacing what was kept under its id. Only
        its reader may: another reader's save raises StoreError (continue under a new id)."""
        with self._db:
            cursor = self._db.execute(
                "INSERT INTO conversations(id, updated_at, answers, reader) VALUES (?, ?, ?, ?) "
                "ON CONFLICT(id) DO UPDATE SET updated_at = excluded.updated_at, "
                "answers = excluded.answers, reader = excluded.reader "
                "WHERE conversations.reader IS NULL OR conversations.reader = excluded.reader",
                (
                    conversation_id,
                    timestamp(),
                    json.dumps(answers, ensure_ascii=False),
                    reader_key(reader),
                ),
            )
        if cursor.rowcount == 0:
            raise StoreError(
                f"conversation {conversation_id} belongs to another reader: continue it under "
                "a new id"
            )

    def writable_by(self, conversation_id: str, reader: str) -> bool:
        """Whether this reader may save under the id: nobody has yet, it was saved before
        readers had ids, or it is this reader's."""
        (owner,) = self._db.execute(
            "SELECT reader FROM conversations WHERE id = ?", (conversation_id,)
        ).fetchone() or (None,)
        return owner is None or owner == reader_key(reader)

    def load(self, conversation_id: str) -> list[dict[str, Any]] | None:
        """The answers saved under this id, or None if there is no such conversation."""
        found = self._db.execute(
            "SELECT answers FROM conversations WHERE id = ?", (conversation_id,)
        ).fetchone()
        return None if found is None else list(json.loads(found[0]))

    def owned(self, conversation_id: str, reader: str) -> list[dict[str, Any]] | None:
        """The answers of this reader's conversation (or one saved before readers had ids);
        None for another reader's or no such conversation: the page opens nothing else by id."""
        found = self._db.execute(
            "SELECT answers FROM conversations WHERE id = ? AND (reader = ? OR reader IS NULL)",
            (conversation_id, reader_key(reader)),
        ).fetchone()
        return None if found is None else list(json.loads(found[0]))

    def share(self, conversation_id: str, *, reader: str) -> str:
        """The token of a read-only link to the reader's conversation, made on first use."""
        token = uuid.uuid4().hex
        with self._db:
            self._db.execute(
                "UPDATE conversations SET share = ? WHERE id = ? AND reader = ? AND share IS NULL",
                (token, conversation_id, reader_key(reader)),
            )
        found = self._db.execute(
            "SELECT share FROM conversations WHERE id = ? AND reader = ?",
            (conversation_id, reader_key(reader)),
        ).fetchone()
        if found is None or found[0] is None:
            raise StoreError(f"conversation {conversation_id} is not this reader's to share")
        return str(found[0])

    def shared(self, token: str) -> tuple[str, list[dict[str, Any]]] | None:
        """(conversation id, answers) of a conversation shared under this token, or None."""
        found = self._db.execute(
            "SELECT id, answers FROM conversations WHERE share = ?", (token,)
        ).fetchone()
        return None if found is None else (str(found[0]), list(json.loads(found[1])))

    def recent(self, reader: str, limit: int = 20) -> list[ConversationInfo]:
        """This reader's latest conversations first."""
        # SQLite reads the first question and the length out of the JSON: the page draws this
        # list on every rerun, and parsing every saved answer in Python was most of its cost.
        rows = self._db.execute(
            "SELECT id, title, updated_at, json_extract(answers, '$[0].question'), "
            "json_array_length(answers) AS turns FROM conversations "
            "WHERE reader = ? AND turns > 0 ORDER BY updated_at DESC, id LIMIT ?",
            (reader_key(reader), limit),
        ).fetchall()
        out = []
        for conversation_id, title, updated_at, question, turns in rows:
            first = str(question or "") or "(no question)"
            name = title or (first if len(first) <= MAX_TITLE else first[: MAX_TITLE - 3] + "...")
            out.append(ConversationInfo(str(conversation_id), name, str(updated_at), int(turns)))
        return out

    def rename(self, conversation_id: str, title: str, *, reader: str) -> None:
        """Name the reader's conversation (an empty name gives its first question back)."""
        title = " ".join(title.split())[:MAX_TITLE]
        with self._db:
            self._db.execute(
                "UPDATE conversations SET title = ? WHERE id = ? AND reader = ?",
                (title or None, conversation_id, reader_key(reader)),
            )

    def delete(self, conversation_id: str, *, reader: str) -> None:
        """Delete the reader's conversation; another reader's stays."""
        with self._db:
            self._db.execute(
                "DELETE FROM conversations WHERE id = ? AND reader = ?",
                (conversation_id, reader_key(reader)),
            )

    def close(self) -> None:
        self._db.close()

    def _hash_readers(self) -> None:
        # Tables from before kept reader ids as they are, and a reader id is its browser's only
        # credential: replaced by their digests, once (not a scan per browser session).
        done = self._db.execute("SELECT 1 FROM meta WHERE key = ?", (_HASHED,)).fetchone()
        if done:
            return
        clear = [
            str(row[0])
            for row in self._db.execute(
                "SELECT DISTINCT reader FROM conversations WHERE reader IS NOT NULL "
                "AND reader NOT LIKE ?",
                (KEY_PREFIX + "%",),
            )
        ]
        with self._db:
            self._db.executemany(
                "UPDATE conversations SET reader = ? WHERE reader = ?",
                [(reader_key(reader), reader) for reader in clear],
            )
            self._db.execute("INSERT OR REPLACE INTO meta(key, value) VALUES (?, '1')", (_HASHED,))


_HASHED = "conversation_readers_hashed"
KEY_PREFIX = "b2:"


def reader_key(reader: str) -> str:
    """What is stored for a reader: a digest, so the file holds no reader's credential."""
    return KEY_PREFIX + hashlib.blake2b(reader.encode(), digest_size=16).hexdigest()
