"""Reading articles and sentences back from SQLite: by id, by sentence address, and the
look-ups by title, URL, path or origin that fixtures and people name articles by.

    articles = SqliteArticles(Database.open(path, create=False))
    article = articles.article("3f2a9c0d1e2b4a5c")
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable

from qa.errors import StoreError
from qa.store.protocols import ArticleReader
from qa.store.rows import ArticleSummary
from qa.store.sqlite.database import SqlitePart
from qa.store.sqlite.totals import totals
from qa.types import Article, RemovedText, Sentence

COPIES = 100  # other articles a cited sentence is said to be "also in", at most


class SqliteArticles(SqlitePart, ArticleReader):
    def article(self, article_id: str, *, with_sentences: bool = True) -> Article | None:
        with self._db.lock:  # the article, its sources and sentences as one thread left them
            row = self._db.row("SELECT * FROM articles WHERE id = ?", (article_id,))
            if row is None:
                return None
            sources = self._db.rows(
                "SELECT origin FROM sources WHERE article_id = ? ORDER BY seen_at, key",
                (article_id,),
            )
            sentences = self.sentences(article_id) if with_sentences else []
        return _article(row, tuple(sentences), tuple(str(r[0]) for r in sources))

    def find_article_ids(self, prefix: str) -> list[str]:
        """Ids starting with `prefix`, so people can type a short id as with git."""
        rows = self._db.rows(
            "SELECT id FROM articles WHERE id >= ? AND id < ? ORDER BY id LIMIT 10",
            (prefix, prefix + "\uffff"),
        )
        return [str(r[0]) for r in rows]

    def sentences(self, article_id: str) -> list[Sentence]:
        rows = self._db.rows(
            'SELECT idx, start, "end", paragraph, text FROM sentences WHERE article_id = ? '
            "ORDER BY idx",
            (article_id,),
        )
        return [
            Sentence(article_id, r["idx"], r["start"], r["end"], r["text"], r["paragraph"])
            for r in rows
        ]

    def sentence_texts(self, keys: Iterable[tuple[str, int]]) -> dict[tuple[str, int], str]:
        """Texts of many sentences by address, in one query per 500 addresses."""
        wanted = list(dict.fromkeys(keys))
        found: dict[tuple[str, int], str] = {}
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            # A join, not `(article_id, idx) IN (VALUES ...)`: SQLite scans the whole table for
            # the latter (19 ms a question at 40k sentences), and uses the unique index here.
            rows = self._db.rows(
                f"WITH k(a, i) AS (VALUES {', '.join(['(?, ?)'] * len(chunk))}) "
                "SELECT s.article_id, s.idx, s.text FROM k JOIN sentences AS s "
                "ON s.article_id = k.a AND s.idx = k.i",
                [v for key in chunk for v in key],
            )
            found.update({(str(r[0]), int(r[1])): str(r[2]) for r in rows})
        return found

    def sentence_copies(self, article_id: str, index: int) -> list[str]:
        """Other articles carrying this sentence word for word (case and punctuation aside),
        at most COPIES of them (a story copied 20,000 times is cited with 100)."""
        rows = self._db.rows(
            "SELECT DISTINCT other.article_id FROM sentences AS mine JOIN sentences AS other "
            "ON other.norm_hash = mine.norm_hash WHERE mine.article_id = ? AND mine.idx = ? "
            f"AND other.article_id != mine.article_id ORDER BY other.article_id LIMIT {COPIES}",
            (article_id, index),
        )
        return [str(r[0]) for r in rows]

    def sentence_span(self, article_id: str, index: int) -> tuple[int, int]:
        row = self._db.row(
            'SELECT start, "end" FROM sentences WHERE article_id = ? AND idx = ?',
            (article_id, index),
        )
        if row is None:
            raise StoreError(f"no sentence {article_id}:{index}: the index changed, ask again")
        return int(row[0]), int(row[1])

    def titles(self, article_ids: Iterable[str]) -> dict[str, str | None]:
        """The headline of each of `article_ids` that is stored."""
        ids = list(article_ids)
        rows = self._db.rows(
            f"SELECT id, title FROM articles WHERE id IN ({', '.join('?' * len(ids))})", ids
        )
        return {str(r[0]): r[1] for r in rows}

    def published_days(self, article_ids: Iterable[str]) -> dict[str, int]:
        """YYYYMMDD of each dated article among `article_ids`."""
        ids = list(article_ids)
        rows = self._db.rows(
            f"SELECT id, published FROM articles WHERE id IN ({', '.join('?' * len(ids))}) "
            "AND published IS NOT NULL AND length(published) >= 10",
            ids,
        )
        return {str(r[0]): int(str(r[1])[:10].replace("-", "")) for r in rows}

    def article_count(self) -> int:
        kept = totals(self._db)
        return kept["articles"] if kept else int(self._db.value("SELECT COUNT(*) FROM articles"))

    def sentence_count(self) -> int:
        kept = totals(self._db)
        if kept:
            return kept["sentences"]
        return int(self._db.value("SELECT COUNT(*) FROM sentences"))

    def published_range(self, *, only: Iterable[str]) -> tuple[str | None, str | None]:
        """The first and last publication dates among these articles (None: none dated)."""
        row = self._db.row(
            "SELECT MIN(published), MAX(published) FROM articles WHERE published IS NOT NULL "
            "AND id IN (SELECT value FROM json_each(?))",
            (json.dumps(sorted(only)),),
        )
        return (row[0], row[1]) if row is not None else (None, None)

    def outlets(self, *, only: Iterable[str] | None = None) -> list[str]:
        """The outlets' names, sorted; of `only` these articles when given."""
        if only is not None:
            rows = self._db.rows(
                "SELECT DISTINCT outlet FROM articles WHERE outlet IS NOT NULL AND id IN "
                "(SELECT value FROM json_each(?))",
                (json.dumps(sorted(only)),),
            )
            return sorted(str(r[0]) for r in rows)
        if self._db.get_meta("outlets_counted") == "1":  # kept at write time
            rows = self._db.rows("SELECT name FROM outlets WHERE name != '' AND articles > 0")
        else:  # an index not yet opened to write since the counts came
            rows = self._db.rows("SELECT DISTINCT outlet FROM articles WHERE outlet IS NOT NULL")
        return sorted(str(r[0]) for r in rows)

    def near_duplicates(self, article_id: str) -> list[tuple[str, float]]:
        """The other articles of this one's wire-copy group, best overlap first. A copy is
        linked to its group's first article (indexes before 0.8 linked every pair: read the
        same way)."""
        rows = self._db.rows(
            "SELECT other_id, score FROM article_links WHERE article_id = ? "
            "AND kind = 'near_duplicate' "
            "UNION ALL SELECT article_id, score FROM article_links WHERE other_id = ? "
            "AND kind = 'near_duplicate' "
            "UNION ALL SELECT sibling.article_id, mine.score FROM article_links AS mine "
            "JOIN article_links AS sibling ON sibling.other_id = mine.other_id "
            "WHERE mine.article_id = ? AND sibling.article_id != mine.article_id "
            "AND mine.kind = 'near_duplicate' AND sibling.kind = 'near_duplicate'",
            (article_id, article_id, article_id),
        )
        best: dict[str, float] = {}
        for other, score in ((str(r[0]), float(r[1])) for r in rows):
            if other != article_id:
                best[other] = max(score, best.get(other, 0.0))
        return sorted(best.items(), key=lambda item: (-item[1], item[0]))

    def article_ids_titled(self, title: str) -> list[str]:
        rows = self._db.rows("SELECT id FROM articles WHERE title = ? ORDER BY id", (title,))
        return [str(r[0]) for r in rows]

    def article_ids_with_url(self, url: str) -> list[str]:
        rows = self._db.rows("SELECT id FROM articles WHERE url = ? ORDER BY id", (url,))
        return [str(row[0]) for row in rows]

    def article_ids_from_path(self, path: str) -> list[str]:
        """Articles read from a path given in full or by its trailing part ("txt/a.txt")."""
        rows = self._db.rows(
            "SELECT DISTINCT article_id FROM sources WHERE origin = ? OR origin LIKE ? ESCAPE '\\'",
            (path, "%/" + path.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")),
        )
        return sorted(str(row[0]) for row in rows)

    def article_id_from(self, origin: str) -> str | None:
        """The article read from a path or URL, as it was given to `ingest`."""
        found = self._db.value("SELECT article_id FROM sources WHERE origin = ? LIMIT 1", (origin,))
        return None if found is None else str(found)

    def container_article_ids(self, container: str) -> list[str]:
        """The articles a file or feed holds, as last stored."""
        rows = self._db.rows(
            "SELECT DISTINCT article_id FROM sources WHERE container = ?", (container,)
        )
        return [str(r[0]) for r in rows]

    def article_ids(self) -> list[str]:
        return [str(r[0]) for r in self._db.rows("SELECT id FROM articles ORDER BY rowid")]

    def list_articles(
        self, limit: int = 50, *, only: Iterable[str] | None = None
    ) -> list[ArticleSummary]:
        """The newest articles first (undated ones last), with their sentence counts; `only`
        these ids when given (a collection's)."""
        where, params = ("", []) if only is None else (
            "WHERE a.id IN (SELECT value FROM json_each(?)) ", [json.dumps(sorted(only))]
        )  # fmt: skip
        rows = self._db.rows(
            "SELECT a.id, a.title, a.outlet, a.published, "
            "(SELECT COUNT(*) FROM sentences WHERE article_id = a.id) AS sentences "
            f"FROM articles AS a {where}"
            "ORDER BY a.published IS NULL, a.published DESC, a.id LIMIT ?",
            (*params, limit),
        )
        return [ArticleSummary(str(r[0]), r[1], r[2], r[3], int(r[4])) for r in rows]


def _article(
    row: sqlite3.Row, sentences: tuple[Sentence, ...], sources: tuple[str, ...]
) -> Article:
    return Article(
        id=row["id"], title=row["title"], outlet=row["outlet"], author=row["author"],
        published=row["published"], published_raw=row["published_raw"], url=row["url"],
        origin=row["origin"], content_hash=row["content_hash"], text=row["text"],
        sentences=sentences, item=row["item"], sources=sources,
        removed=tuple(RemovedText(**r) for r in json.loads(row["removed"])),
    )  # fmt: skip
