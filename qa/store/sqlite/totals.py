"""Totals `newsqa stats` and the ingest progress show, kept at write time in the `totals`
table: counting a million sentences' index, or parsing every article's removed pieces, on each
call took seconds.

    add_totals(db, articles=1, sentences=18, removed=2)   # inside the writer's transaction
    totals(db)   # {"articles": ..., "sentences": ..., "removed_pieces": ...} or None
"""

from __future__ import annotations

import json

from qa.store.sqlite.database import Database

TOTALS = ("articles", "sentences", "removed_pieces")


def add_totals(db: Database, articles: int, sentences: int, removed: int) -> None:
    db.run_many(
        "INSERT INTO totals(name, n) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET n = n + "
        "excluded.n",
        list(zip(TOTALS, (articles, sentences, removed), strict=True)),
    )


def totals(db: Database) -> dict[str, int] | None:
    """The totals kept at write time; None for an index not opened to write since they came
    (its readers count)."""
    if db.get_meta("totals_counted") != "1":
        return None
    found = {str(r[0]): int(r[1]) for r in db.rows("SELECT name, n FROM totals")}
    return {name: found.get(name, 0) for name in TOTALS}


def count_totals(db: Database) -> None:
    """Indexes written before the totals get them from their articles, once."""
    if db.get_meta("totals_counted") == "1":
        return
    with db.transaction():
        removed = sum(
            len(json.loads(r[0]))
            for r in db.rows("SELECT removed FROM articles WHERE removed != '[]'")
        )
        db.run("DELETE FROM totals")
        add_totals(
            db,
            int(db.value("SELECT COUNT(*) FROM articles")),
            int(db.value("SELECT COUNT(*) FROM sentences")),
            removed,
        )
        db.set_meta("totals_counted", "1")
