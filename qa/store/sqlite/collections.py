"""Collections: named sets of articles (a desk, a story, an archive) kept in the index's SQLite
file. An article may be in several; one in none (stored before collections, or added without
naming one) is in the default collection, so an older index needs no migration and a read-only
one is read as it is.

    store.add_to_collection("business", ["3f2a9c0d1e2b4a5c"])
    store.collection_members(["business"])   # {"3f2a9c0d1e2b4a5c"}
    store.collections()                      # [("business", 1), ("news", 2292)]
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from qa.collection_name import DEFAULT_COLLECTION, collection_name
from qa.store.protocols import CollectionStore
from qa.store.sqlite.database import Database, SqlitePart


def bump_collections_version(db: Database) -> None:
    """Count a change of membership (inside the caller's transaction): what is cached per
    collection state (the first view's stories) is read again."""
    db.run(
        "INSERT INTO meta(key, value) VALUES ('collections_version', '1') ON CONFLICT(key) "
        "DO UPDATE SET value = CAST(value AS INTEGER) + 1"
    )


def add_members(
    db: Database, name: str, article_ids: Iterable[str], *, new: Iterable[str] = ()
) -> None:
    """Inside the caller's transaction, put the articles in collection `name` too: one in the
    default collection by having none stays there (its first row would otherwise take it out
    of the default, and an editor of another collection could take a story away from its
    readers); those just stored (`new`) go in this collection alone."""
    fresh = set(new)
    for article_id in dict.fromkeys(article_ids):
        if article_id not in fresh:
            db.run(
                "INSERT OR IGNORE INTO collection_articles (collection, article_id) "
                "SELECT ?, id FROM articles WHERE id = ? AND NOT EXISTS "
                "(SELECT 1 FROM collection_articles WHERE article_id = ?)",
                (DEFAULT_COLLECTION, article_id, article_id),
            )
        db.run(
            "INSERT OR IGNORE INTO collection_articles (collection, article_id) "
            "SELECT ?, id FROM articles WHERE id = ?",
            (name, article_id),
        )
    bump_collections_version(db)


class SqliteCollections(SqlitePart, CollectionStore):
    def collections_version(self) -> str:
        """Changes whenever an article joins or leaves a collection."""
        return self._db.get_meta("collections_version") or "0"

    def _has_table(self) -> bool:
        # A read-only index made before collections has no table: all its articles are in
        # the default collection.
        return (
            self._db.row(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'collection_articles'"
            )
            is not None
        )

    def add_to_collection(
        self, name: str, article_ids: Iterable[str], *, new: Iterable[str] = ()
    ) -> None:
        """Put the articles in the collection too (`add_members`), in one transaction."""
        name = collection_name(name)
        with self._db.transaction():
            add_members(self._db, name, article_ids, new=new)

    def collections_of(self, article_id: str) -> list[str]:
        """The collections the article was put in (empty: the default one alone)."""
        if not self._has_table():
            return []
        rows = self._db.rows(
            "SELECT collection FROM collection_articles WHERE article_id = ? ORDER BY 1",
            (article_id,),
        )
        return [str(r[0]) for r in rows]

    def collection_members(self, names: Iterable[str]) -> set[str]:
        """The ids of the articles in any of the named collections."""
        wanted = sorted({collection_name(n) for n in names})
        if not self._has_table():
            return (
                set(self._ids("SELECT id FROM articles", ()))
                if DEFAULT_COLLECTION in wanted
                else set()
            )
        members = set(
            self._ids(
                f"SELECT article_id FROM collection_articles WHERE collection IN "
                f"({', '.join('?' * len(wanted))})",
                wanted,
            )
        ) if wanted else set()  # fmt: skip
        if DEFAULT_COLLECTION in wanted:
            members |= set(
                self._ids(
                    "SELECT id FROM articles WHERE id NOT IN "
                    "(SELECT article_id FROM collection_articles)",
                    (),
                )
            )
        return members

    def collections(self) -> list[tuple[str, int]]:
        """Every collection with its article count, the default one included when it holds
        any, by name."""
        counts: dict[str, int] = {}
        if self._has_table():
            rows = self._db.rows("SELECT collection, COUNT(*) FROM collection_articles GROUP BY 1")
            counts = {str(r[0]): int(r[1]) for r in rows}
            unfiled = int(
                self._db.value(
                    "SELECT COUNT(*) FROM articles WHERE id NOT IN "
                    "(SELECT article_id FROM collection_articles)"
                )
            )
        else:
            unfiled = int(self._db.value("SELECT COUNT(*) FROM articles"))
        if unfiled:
            counts[DEFAULT_COLLECTION] = counts.get(DEFAULT_COLLECTION, 0) + unfiled
        return sorted(counts.items())

    def _ids(self, sql: str, params: Sequence[str] | tuple[()]) -> list[str]:
        return [str(r[0]) for r in self._db.rows(sql, tuple(params))]


__all__ = ["SqliteCollections"]
