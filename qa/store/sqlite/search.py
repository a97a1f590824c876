"""Lexical search over sentences with SQLite's FTS5 (BM25), and the one translation of our
`Filters` into SQL.

    search = SqliteSearch(Database.open(path, create=False))
    search.lexical_search("flood evacuated", limit=60, filters=Filters(since="2026-03-01"))
"""

from __future__ import annotations

import json

from qa.lexicon import STOPWORDS
from qa.store.protocols import SentenceSearch
from qa.store.sqlite.database import SqlitePart
from qa.types import Filters


class SqliteSearch(SqlitePart, SentenceSearch):
    def lexical_search(
        self, query: str, *, limit: int = 50, filters: Filters | None = None
    ) -> list[tuple[str, int, float]]:
        """BM25 over sentences: (article_id, sentence index, score), best first."""
        terms = fts_terms(query)
        if not terms:
            return []
        where, params = _filter_sql(filters)
        join = " JOIN articles AS a ON a.id = s.article_id" if where else ""
        rows = self._db.rows(
            "SELECT s.article_id, s.idx, bm25(sentences_fts) AS rank FROM sentences_fts "
            f"JOIN sentences AS s ON s.rowid = sentences_fts.rowid{join} "
            f"WHERE sentences_fts MATCH ?{where} ORDER BY rank LIMIT ?",
            (" OR ".join(terms), *params, limit),
        )
        # FTS5's bm25() is lower-is-better; flip it so every score in newsqa is higher-is-better.
        return [(str(r[0]), int(r[1]), -float(r[2])) for r in rows]

    def filter_share(self, filters: Filters) -> float:
        filters.check_resolved()
        total = self._db.value("SELECT n FROM totals WHERE name = 'articles'")
        if not total:
            return 1.0
        share = 1.0
        # Each part from what is kept in an index, taken as independent of the others.
        if filters.sources:
            counted = self._db.value(
                f"SELECT SUM(articles) FROM outlets WHERE name IN "
                f"({', '.join('?' * len(filters.sources))})",
                list(filters.sources),
            )
            share *= (counted or 0) / total
        if filters.article_ids:
            share *= len(set(filters.article_ids)) / total
        if filters.since or filters.until:
            dated = self._db.value(
                "SELECT COUNT(*) FROM articles WHERE published IS NOT NULL "
                "AND published >= ? AND published < ?",
                (filters.since or "", (filters.until or "9999")[:10] + "\uffff"),
            )
            share *= dated / total
        return min(1.0, share)

    def allowed_sentences(self, filters: Filters, *, limit: int) -> list[tuple[str, int]] | None:
        where, params = _filter_sql(filters)
        rows = self._db.rows(
            "SELECT s.article_id, s.idx FROM articles AS a JOIN sentences AS s "
            f"ON s.article_id = a.id WHERE 1{where} LIMIT ?",
            (*params, limit + 1),
        )
        if len(rows) > limit:
            return None
        return [(str(r[0]), int(r[1])) for r in rows]


def fts_terms(query: str) -> list[str]:
    # Quote every word so FTS5 syntax in a question (AND, NEAR, "*", ":") is read as text.
    words = "".join(c if c.isalnum() else " " for c in query).split()
    kept = [w for w in words if w.lower() not in STOPWORDS and (len(w) > 1 or w.isdigit())]
    return [f'"{w}"' for w in kept]


def _filter_sql(filters: Filters | None) -> tuple[str, list[str]]:
    """An AND-clause over `articles AS a` for the filters (empty when there are none)."""
    if not filters:
        return "", []
    filters.check_resolved()
    clauses: list[str] = []
    params: list[str] = []
    if filters.sources:
        clauses.append(f"a.outlet IN ({', '.join('?' * len(filters.sources))})")
        params += filters.sources
    if filters.article_ids:
        # One JSON parameter, not one per id: a collection's thousands of articles would pass
        # SQLite's limit on bound parameters.
        clauses.append("a.id IN (SELECT value FROM json_each(?))")
        params.append(json.dumps(list(filters.article_ids)))
    # Compared whole, not cut to their day, so that the index on `published` serves them.
    if filters.since:
        clauses.append("a.published >= ?")
        params.append(filters.since[:10])
    if filters.until:
        clauses.append("a.published < ?")
        params.append(filters.until[:10] + "\uffff")
    return " AND " + " AND ".join(clauses), params
