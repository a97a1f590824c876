"""What `newsqa stats` shows about the index's SQLite file, in one `StoreStats`.

print(SqliteStats(Database.open(path, create=False)).stats().articles)
"""

from __future__ import annotations

import json
from pathlib import Path

from qa.store.protocols import StatsReader
from qa.store.rows import StoreStats
from qa.store.sqlite.database import SqlitePart
from qa.store.sqlite.totals import totals


class SqliteStats(SqlitePart, StatsReader):
    def stats(self) -> StoreStats:
        with self._db.lock:  # every figure of the same moment
            return self._stats()

    def _stats(self) -> StoreStats:
        one = self._db.value
        if self._db.get_meta("outlets_counted") == "1":  # kept at write time
            outlets = self._db.rows(
                "SELECT CASE name WHEN '' THEN '(unknown)' ELSE name END, articles FROM outlets "
                "WHERE articles > 0 ORDER BY 2 DESC, 1"
            )
        else:
            outlets = self._db.rows(
                "SELECT COALESCE(outlet, '(unknown)'), COUNT(*) FROM articles GROUP BY 1 "
                "ORDER BY 2 DESC, 1"
            )
        # One aggregate a statement, on the published index: two lookups, not a scan.
        first = one("SELECT MIN(published) FROM articles WHERE published IS NOT NULL")
        last = one("SELECT MAX(published) FROM articles WHERE published IS NOT NULL")
        kept = totals(self._db)
        return StoreStats(
            articles=kept["articles"] if kept else int(one("SELECT COUNT(*) FROM articles")),
            sentences=kept["sentences"] if kept else int(one("SELECT COUNT(*) FROM sentences")),
            sources=one("SELECT COUNT(*) FROM sources"),
            outlets=tuple((str(o), int(n)) for o, n in outlets),
            first_published=first,
            last_published=last,
            unindexed=one("SELECT COUNT(*) FROM articles WHERE indexed = 0"),
            wire_copies_linked=one("SELECT COUNT(*) FROM article_links"),
            removed_pieces=kept["removed_pieces"] if kept else self._removed_pieces(),
            size_bytes=_size(self._db.path),
        )

    def _removed_pieces(self) -> int:
        rows = self._db.rows("SELECT removed FROM articles WHERE removed != '[]'")
        return sum(len(json.loads(r[0])) for r in rows)


def _size(path: Path) -> int:
    """Bytes of the file with its WAL and shared-memory files beside it."""
    return sum(p.stat().st_size for p in path.parent.glob(path.name + "*"))
