"""What Chroma still has to catch up with, kept in SQLite: `articles.indexed` (0 until an
article's vectors are written) and the `vector_deletes` queue of articles whose vectors must go.

Both are written in the same transaction as the articles, so a crash between the two stores is
repaired by the next run: it adds what is unindexed and drops what is queued.

    outbox = SqliteOutbox(Database.open(path))
    outbox.mark_indexed(outbox.unindexed_article_ids())
"""

from __future__ import annotations

from collections.abc import Iterable

from qa.store.protocols import VectorOutbox
from qa.store.sqlite.database import SqlitePart


class SqliteOutbox(SqlitePart, VectorOutbox):
    def unindexed_article_ids(self) -> list[str]:
        rows = self._db.rows("SELECT id FROM articles WHERE indexed = 0 ORDER BY rowid")
        return [str(row[0]) for row in rows]

    def unindexed_sentence_count(self) -> int:
        """The sentences still to embed (what an addition's progress counts to)."""
        return int(
            self._db.value(
                "SELECT COUNT(*) FROM sentences WHERE article_id IN "
                "(SELECT id FROM articles WHERE indexed = 0)"
            )
        )

    def mark_indexed(self, article_ids: Iterable[str]) -> None:
        with self._db.transaction():
            self._db.run_many(
                "UPDATE articles SET indexed = 1 WHERE id = ?", [(i,) for i in article_ids]
            )

    def pending_vector_deletes(self) -> list[str]:
        return [str(r[0]) for r in self._db.rows("SELECT article_id FROM vector_deletes")]

    def clear_vector_deletes(self, article_ids: Iterable[str]) -> None:
        with self._db.transaction():
            self._db.run_many(
                "DELETE FROM vector_deletes WHERE article_id = ?", [(i,) for i in article_ids]
            )
