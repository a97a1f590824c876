"""`Store`: every storage job of `qa.store.protocols` done on one SQLite file.

The parts (`SqliteArticles`, `SqliteWriter`, `SqliteSearch`, `SqliteOutbox`, `SqliteStats`,
`SqliteClaims`, `SqliteVocabulary`, `SqliteCollections`) each do one job on the `Database`
they share; the Store inherits them all, so callers that open the whole index keep one object,
and callers typed with one job take it as that job.

    store = Store.open(Path("index/newsqa.sqlite3"))
    article = store.article("3f2a9c0d1e2b4a5c")
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from qa.store.protocols import MetaStore
from qa.store.sqlite.articles import SqliteArticles
from qa.store.sqlite.claims import SqliteClaims
from qa.store.sqlite.collections import SqliteCollections
from qa.store.sqlite.database import Database
from qa.store.sqlite.outbox import SqliteOutbox
from qa.store.sqlite.search import SqliteSearch
from qa.store.sqlite.stats import SqliteStats
from qa.store.sqlite.totals import count_totals
from qa.store.sqlite.vocabulary import SqliteVocabulary
from qa.store.sqlite.writer import SqliteWriter, count_outlets, group_wire_links


class Store(
    SqliteArticles,
    SqliteWriter,
    SqliteSearch,
    SqliteOutbox,
    SqliteStats,
    SqliteClaims,
    SqliteVocabulary,
    SqliteCollections,
    MetaStore,
):
    """Articles, sentences and their bookkeeping in one SQLite file; safe to share between
    threads."""

    @classmethod
    def open(cls, path: Path, *, create: bool = True, lock: threading.RLock | None = None) -> Store:
        """The store at `path`; without `create`, a missing file is an error naming ingest.
        Threads may share it: every statement holds `lock` (the application's one lock, or a
        new one)."""
        store = cls(Database.open(path, create=create, lock=lock))
        if create:  # a writer: bring an older index's links and counts up to date, once
            group_wire_links(store._db)
            count_outlets(store._db)
            count_totals(store._db)
        return store

    @property
    def path(self) -> Path:
        return self._db.path

    @property
    def read_only(self) -> bool:
        """Opened from a read-only index: asking reads it, nothing is written."""
        return self._db.read_only

    def close(self) -> None:
        self._db.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Writes inside are kept together or not at all."""
        with self._db.transaction():
            yield

    def get_meta(self, key: str) -> str | None:
        return self._db.get_meta(key)

    def set_meta(self, key: str, value: str) -> None:
        self._db.set_meta(key, value)
