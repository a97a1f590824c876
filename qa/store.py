"""The source of truth: articles, their sources and sentences in one SQLite file.

SQLite gives what local Chroma lacks: transactions (an interrupted ingest leaves every article
either fully stored or absent) and FTS5, a real BM25 index over the sentences. Chroma only holds
vectors; `articles.indexed` and the `vector_deletes` outbox say what Chroma still has to catch up
with, so a crash between the two stores is repaired by the next run.

Other modules keep their own tables in the same file and create them themselves through
`connect` (the page's feedback in `qa.feedback`, saved conversations in `qa.conversations`):
the Store neither reads nor needs them.

    store = Store.open(Path("index/newsqa.sqlite3"))
    article = store.article("3f2a9c0d1e2b4a5c")
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from qa.errors import IndexMismatchError, StoreError
from qa.lexicon import STOPWORDS
from qa.types import Article, Filters, RemovedText, Sentence

# The article tables only. Tables other modules keep in this file are created by them, and an
# older newsqa creates the ones it expects (`IF NOT EXISTS`), so they need no version here.
SCHEMA_VERSION = "1"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS articles (
    id TEXT PRIMARY KEY,
    title TEXT, outlet TEXT, author TEXT, published TEXT, published_raw TEXT, url TEXT,
    origin TEXT NOT NULL, item TEXT,
    content_hash TEXT NOT NULL UNIQUE,
    text TEXT NOT NULL,
    removed TEXT NOT NULL DEFAULT '[]',
    indexed INTEGER NOT NULL DEFAULT 0,
    added_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS articles_unindexed ON articles(indexed) WHERE indexed = 0;
CREATE TABLE IF NOT EXISTS sources (
    key TEXT PRIMARY KEY,
    origin TEXT NOT NULL,
    container TEXT NOT NULL,
    item TEXT,
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    raw_hash TEXT NOT NULL,
    seen_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS sources_container ON sources(container);
CREATE INDEX IF NOT EXISTS sources_article ON sources(article_id);
CREATE TABLE IF NOT EXISTS sentences (
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    idx INTEGER NOT NULL,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    paragraph INTEGER NOT NULL,
    text TEXT NOT NULL,
    norm_hash TEXT,
    UNIQUE (article_id, idx)
);
CREATE INDEX IF NOT EXISTS sentences_norm ON sentences(norm_hash) WHERE norm_hash IS NOT NULL;
CREATE VIRTUAL TABLE IF NOT EXISTS sentences_fts USING fts5(
    text, content='sentences', content_rowid='rowid', tokenize='porter unicode61'
);
CREATE TRIGGER IF NOT EXISTS sentences_ai AFTER INSERT ON sentences BEGIN
    INSERT INTO sentences_fts(rowid, text) VALUES (new.rowid, new.text);
END;
CREATE TRIGGER IF NOT EXISTS sentences_ad AFTER DELETE ON sentences BEGIN
    INSERT INTO sentences_fts(sentences_fts, rowid, text) VALUES ('delete', old.rowid, old.text);
END;
CREATE TABLE IF NOT EXISTS article_links (
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    other_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    score REAL NOT NULL,
    PRIMARY KEY (article_id, other_id)
);
CREATE TABLE IF NOT EXISTS vector_deletes (article_id TEXT PRIMARY KEY);
"""


@dataclass(frozen=True)
class SourceRef:
    """Where one article was read: `key` is canonical (absolute path or URL, plus '#item')."""

    key: str
    origin: str
    container: str
    item: str | None = None


@dataclass(frozen=True)
class SaveResult:
    """What saving one article did: added, updated, unchanged or duplicate (of `article_id`)."""

    outcome: str
    article_id: str
    source: SourceRef
    previous_id: str | None = None  # the article this source carried before, if another


@dataclass(frozen=True)
class StoreStats:
    articles: int
    sentences: int
    sources: int
    outlets: tuple[tuple[str, int], ...]
    first_published: str | None
    last_published: str | None
    unindexed: int
    near_duplicate_pairs: int
    removed_pieces: int
    size_bytes: int


def timestamp() -> str:
    """Now, as every table in the index's file records it: UTC, to the second."""
    return datetime.now(UTC).isoformat(timespec="seconds")


class Store:
    """Articles and sentences in SQLite. Not thread-safe: one Store per thread."""

    def __init__(self, connection: sqlite3.Connection, path: Path) -> None:
        self._db = connection
        self.path = path

    @classmethod
    def open(cls, path: Path, *, create: bool = True) -> Store:
        if not create and not path.is_file():
            raise _missing_index(path)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(
                f"cannot create the index folder {path.parent}: {exc.strerror or exc}: give "
                "another --index"
            ) from None
        db: sqlite3.Connection | None = None
        try:
            # Usable from the thread that did not open it (Streamlit reruns a page in a new
            # thread); callers that share a Store across threads serialise its use.
            db = sqlite3.connect(path, timeout=30, isolation_level=None, check_same_thread=False)
            db.row_factory = sqlite3.Row
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            db.execute("PRAGMA foreign_keys=ON")
            db.executescript(_SCHEMA)
            store = cls(db, path)
            store._check_schema()
            if create:
                # A read-only file or folder opens fine and fails at the first write, deep in
                # an ingest: write once now, so the error names the cause before any work.
                store.set_meta("schema_version", SCHEMA_VERSION)
        except sqlite3.DatabaseError as exc:
            if db is not None:
                db.close()
            raise _open_error(path, exc) from None
        return store

    def close(self) -> None:
        self._db.close()

    def _check_schema(self) -> None:
        version = self.get_meta("schema_version")
        if version is None:
            self.set_meta("schema_version", SCHEMA_VERSION)
        elif version != SCHEMA_VERSION:
            raise StoreError(
                f"the index at {self.path.parent} has schema {version}, this newsqa needs "
                f"{SCHEMA_VERSION}: ingest into a new --index directory"
            )

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield self._db
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    # -- metadata -------------------------------------------------------------------------

    def get_meta(self, key: str) -> str | None:
        row = self._db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def set_meta(self, key: str, value: str) -> None:
        self._db.execute(
            "INSERT INTO meta(key, value) VALUES (?, ?) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (key, value),
        )

    def bind_embedding_model(self, model_id: str) -> None:
        """Record the embedding model on first use; refuse to mix vectors of two models."""
        current = self.get_meta("embedding_model")
        if current is None:
            self.set_meta("embedding_model", model_id)
        elif current != model_id:
            raise IndexMismatchError(
                f"the index at {self.path.parent} was built with embedding model '{current}', "
                f"not '{model_id}': set NEWSQA_EMBED_MODEL={current} or use a new --index"
            )

    # -- writing --------------------------------------------------------------------------

    def container_hash(self, container: str) -> str | None:
        """The raw-bytes hash last stored for a file or feed, to skip unchanged inputs fast."""
        row = self._db.execute(
            "SELECT raw_hash FROM sources WHERE container = ? LIMIT 1", (container,)
        ).fetchone()
        return None if row is None else str(row[0])

    def save_container(
        self,
        container: str,
        raw_hash: str,
        articles: Sequence[tuple[SourceRef, Article]],
        *,
        drop_missing: bool,
        near_duplicate_threshold: float = 0.5,
    ) -> tuple[list[SaveResult], list[str]]:
        """Store every article read from one container in one transaction.

        With `drop_missing`, sources of this container that were not read again (a JSON line
        removed from its file) are dropped; feeds pass False, since items roll off a feed.
        Returns the per-article results and the ids of articles deleted as orphans.
        """
        with self.transaction():
            results = [
                self._save_article(ref, article, raw_hash, near_duplicate_threshold)
                for ref, article in articles
            ]
            seen = {ref.key for ref, _ in articles}
            rows = self._db.execute(
                "SELECT key, article_id FROM sources WHERE container = ?", (container,)
            ).fetchall()
            stale = [row for row in rows if row["key"] not in seen] if drop_missing else []
            for row in stale:
                self._db.execute("DELETE FROM sources WHERE key = ?", (row["key"],))
            self._db.execute(
                "UPDATE sources SET raw_hash = ? WHERE container = ?", (raw_hash, container)
            )
            candidates = {r.article_id for r in results} | {row["article_id"] for row in rows}
            candidates |= {r.previous_id for r in results if r.previous_id is not None}
            orphans = self._delete_orphans(candidates)
        return results, orphans

    def _save_article(
        self, ref: SourceRef, article: Article, raw_hash: str, threshold: float
    ) -> SaveResult:
        previous = self._db.execute(
            "SELECT article_id FROM sources WHERE key = ?", (ref.key,)
        ).fetchone()
        exists = self._db.execute("SELECT 1 FROM articles WHERE id = ?", (article.id,)).fetchone()
        if not exists:
            self._insert_article(article)
            self._link_near_duplicates(article.id, threshold)
        self._db.execute(
            "INSERT INTO sources(key, origin, container, item, article_id, raw_hash, seen_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(key) DO UPDATE SET "
            "origin = excluded.origin, article_id = excluded.article_id, "
            "raw_hash = excluded.raw_hash, seen_at = excluded.seen_at",
            (ref.key, ref.origin, ref.container, ref.item, article.id, raw_hash, timestamp()),
        )
        if previous is not None and previous[0] == article.id:
            return SaveResult("unchanged", article.id, ref)
        if previous is not None:
            return SaveResult("updated", article.id, ref, previous_id=str(previous[0]))
        return SaveResult("duplicate" if exists else "added", article.id, ref)

    def _insert_article(self, article: Article) -> None:
        removed = json.dumps([{"text": r.text, "reason": r.reason} for r in article.removed])
        self._db.execute(
            "INSERT INTO articles(id, title, outlet, author, published, published_raw, url, "
            "origin, item, content_hash, text, removed, indexed, added_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?)",
            (
                article.id, article.title, article.outlet, article.author, article.published,
                article.published_raw, article.url, article.origin, article.item,
                article.content_hash, article.text, removed, timestamp(),
            ),
        )  # fmt: skip
        self._db.executemany(
            'INSERT INTO sentences(article_id, idx, start, "end", paragraph, text, norm_hash) '
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                (s.article_id, s.index, s.start, s.end, s.paragraph, s.text, _norm_hash(s.text))
                for s in article.sentences
            ],
        )

    def _link_near_duplicates(self, article_id: str, threshold: float) -> None:
        # Wire copies share most sentences word for word; containment of normalised sentence
        # hashes finds them with one indexed join, and tolerates an edited intro or added line.
        rows = self._db.execute(
            "SELECT other.article_id AS other_id, COUNT(DISTINCT other.norm_hash) AS shared, "
            "(SELECT COUNT(DISTINCT norm_hash) FROM sentences WHERE article_id = other.article_id"
            " AND norm_hash IS NOT NULL) AS other_total "
            "FROM sentences AS mine JOIN sentences AS other ON other.norm_hash = mine.norm_hash "
            "WHERE mine.article_id = ? AND other.article_id != ? GROUP BY other.article_id",
            (article_id, article_id),
        ).fetchall()
        (own_total,) = self._db.execute(
            "SELECT COUNT(DISTINCT norm_hash) FROM sentences WHERE article_id = ? "
            "AND norm_hash IS NOT NULL",
            (article_id,),
        ).fetchone()
        for row in rows:
            smaller = min(own_total, row["other_total"]) or 1
            score = row["shared"] / smaller
            if score >= threshold:
                for a, b in ((article_id, row["other_id"]), (row["other_id"], article_id)):
                    self._db.execute(
                        "INSERT OR REPLACE INTO article_links(article_id, other_id, kind, score) "
                        "VALUES (?, ?, 'near_duplicate', ?)",
                        (a, b, round(score, 4)),
                    )

    def _delete_orphans(self, candidates: Iterable[str]) -> list[str]:
        orphans = []
        for article_id in sorted(candidates):
            used = self._db.execute(
                "SELECT 1 FROM sources WHERE article_id = ? LIMIT 1", (article_id,)
            ).fetchone()
            if used is None:
                self._delete_article(article_id)
                orphans.append(article_id)
        return orphans

    def _delete_article(self, article_id: str) -> None:
        # Sentences first, so the FTS delete trigger sees each row; then queue the vectors.
        self._db.execute("DELETE FROM sentences WHERE article_id = ?", (article_id,))
        self._db.execute(
            "DELETE FROM article_links WHERE article_id = ? OR other_id = ?",
            (article_id, article_id),
        )
        self._db.execute("DELETE FROM articles WHERE id = ?", (article_id,))
        self._db.execute(
            "INSERT OR IGNORE INTO vector_deletes(article_id) VALUES (?)", (article_id,)
        )

    # -- vector bookkeeping ----------------------------------------------------------------

    def unindexed_article_ids(self) -> list[str]:
        rows = self._db.execute("SELECT id FROM articles WHERE indexed = 0 ORDER BY rowid")
        return [str(row[0]) for row in rows]

    def mark_indexed(self, article_ids: Iterable[str]) -> None:
        with self.transaction():
            self._db.executemany(
                "UPDATE articles SET indexed = 1 WHERE id = ?", [(i,) for i in article_ids]
            )

    def pending_vector_deletes(self) -> list[str]:
        return [str(r[0]) for r in self._db.execute("SELECT article_id FROM vector_deletes")]

    def clear_vector_deletes(self, article_ids: Iterable[str]) -> None:
        with self.transaction():
            self._db.executemany(
                "DELETE FROM vector_deletes WHERE article_id = ?", [(i,) for i in article_ids]
            )

    # -- reading --------------------------------------------------------------------------

    def article(self, article_id: str, *, with_sentences: bool = True) -> Article | None:
        row = self._db.execute("SELECT * FROM articles WHERE id = ?", (article_id,)).fetchone()
        if row is None:
            return None
        sources = tuple(
            str(r[0])
            for r in self._db.execute(
                "SELECT origin FROM sources WHERE article_id = ? ORDER BY seen_at, key",
                (article_id,),
            )
        )
        sentences = self.sentences(article_id) if with_sentences else ()
        return Article(
            id=row["id"], title=row["title"], outlet=row["outlet"], author=row["author"],
            published=row["published"], published_raw=row["published_raw"], url=row["url"],
            origin=row["origin"], content_hash=row["content_hash"], text=row["text"],
            sentences=tuple(sentences), item=row["item"], sources=sources,
            removed=tuple(RemovedText(**r) for r in json.loads(row["removed"])),
        )  # fmt: skip

    def find_article_ids(self, prefix: str) -> list[str]:
        """Ids starting with `prefix`, so people can type a short id as with git."""
        rows = self._db.execute(
            "SELECT id FROM articles WHERE id >= ? AND id < ? ORDER BY id LIMIT 10",
            (prefix, prefix + "\uffff"),
        )
        return [str(r[0]) for r in rows]

    def sentences(self, article_id: str) -> list[Sentence]:
        rows = self._db.execute(
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
            rows = self._db.execute(
                f"WITH k(a, i) AS (VALUES {', '.join(['(?, ?)'] * len(chunk))}) "
                "SELECT s.article_id, s.idx, s.text FROM k JOIN sentences AS s "
                "ON s.article_id = k.a AND s.idx = k.i",
                [v for key in chunk for v in key],
            )
            found.update({(str(r[0]), int(r[1])): str(r[2]) for r in rows})
        return found

    def sentence_copies(self, article_id: str, index: int) -> list[str]:
        """Other articles carrying this sentence word for word (case and punctuation aside)."""
        rows = self._db.execute(
            "SELECT DISTINCT other.article_id FROM sentences AS mine JOIN sentences AS other "
            "ON other.norm_hash = mine.norm_hash WHERE mine.article_id = ? AND mine.idx = ? "
            "AND other.article_id != mine.article_id ORDER BY other.article_id",
            (article_id, index),
        )
        return [str(r[0]) for r in rows]

    def sentence_span(self, article_id: str, index: int) -> tuple[int, int]:
        row = self._db.execute(
            'SELECT start, "end" FROM sentences WHERE article_id = ? AND idx = ?',
            (article_id, index),
        ).fetchone()
        if row is None:
            raise StoreError(f"no sentence {article_id}:{index}: the index changed, ask again")
        return int(row[0]), int(row[1])

    def titles(self, article_ids: Iterable[str]) -> dict[str, str | None]:
        """The headline of each of `article_ids` that is stored."""
        ids = list(article_ids)
        rows = self._db.execute(
            f"SELECT id, title FROM articles WHERE id IN ({', '.join('?' * len(ids))})", ids
        )
        return {str(r[0]): r[1] for r in rows}

    def published_days(self, article_ids: Iterable[str]) -> dict[str, int]:
        """YYYYMMDD of each dated article among `article_ids`."""
        ids = list(article_ids)
        rows = self._db.execute(
            f"SELECT id, published FROM articles WHERE id IN ({', '.join('?' * len(ids))}) "
            "AND published IS NOT NULL AND length(published) >= 10",
            ids,
        )
        return {str(r[0]): int(str(r[1])[:10].replace("-", "")) for r in rows}

    def article_count(self) -> int:
        return int(self._db.execute("SELECT COUNT(*) FROM articles").fetchone()[0])

    def sentence_count(self) -> int:
        return int(self._db.execute("SELECT COUNT(*) FROM sentences").fetchone()[0])

    def outlets(self) -> list[str]:
        rows = self._db.execute("SELECT DISTINCT outlet FROM articles WHERE outlet IS NOT NULL")
        return sorted(str(r[0]) for r in rows)

    def near_duplicates(self, article_id: str) -> list[tuple[str, float]]:
        rows = self._db.execute(
            "SELECT other_id, score FROM article_links WHERE article_id = ? "
            "AND kind = 'near_duplicate' ORDER BY score DESC, other_id",
            (article_id,),
        )
        return [(str(r[0]), float(r[1])) for r in rows]

    def article_ids_titled(self, title: str) -> list[str]:
        rows = self._db.execute("SELECT id FROM articles WHERE title = ? ORDER BY id", (title,))
        return [str(r[0]) for r in rows]

    def article_ids_with_url(self, url: str) -> list[str]:
        rows = self._db.execute("SELECT id FROM articles WHERE url = ? ORDER BY id", (url,))
        return [str(row[0]) for row in rows]

    def article_ids_from_path(self, path: str) -> list[str]:
        """Articles read from a path given in full or by its trailing part ("txt/a.txt")."""
        rows = self._db.execute(
            "SELECT DISTINCT article_id FROM sources WHERE origin = ? OR origin LIKE ? ESCAPE '\\'",
            (path, "%/" + path.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")),
        )
        return sorted(str(row[0]) for row in rows)

    def article_id_from(self, origin: str) -> str | None:
        """The article read from a path or URL, as it was given to `ingest`."""
        row = self._db.execute(
            "SELECT article_id FROM sources WHERE origin = ? LIMIT 1", (origin,)
        ).fetchone()
        return None if row is None else str(row[0])

    def article_ids(self) -> list[str]:
        return [str(r[0]) for r in self._db.execute("SELECT id FROM articles ORDER BY rowid")]

    def list_articles(self, limit: int = 50) -> list[sqlite3.Row]:
        return self._db.execute(
            "SELECT a.id, a.title, a.outlet, a.published, "
            "(SELECT COUNT(*) FROM sentences WHERE article_id = a.id) AS sentences "
            "FROM articles AS a ORDER BY a.published IS NULL, a.published DESC, a.id LIMIT ?",
            (limit,),
        ).fetchall()

    def lexical_search(
        self, query: str, *, limit: int = 50, filters: Filters | None = None
    ) -> list[tuple[str, int, float]]:
        """BM25 over sentences: (article_id, sentence index, score), best first."""
        terms = _fts_terms(query)
        if not terms:
            return []
        where, params = _filter_sql(filters)
        join = " JOIN articles AS a ON a.id = s.article_id" if where else ""
        rows = self._db.execute(
            "SELECT s.article_id, s.idx, bm25(sentences_fts) AS rank FROM sentences_fts "
            f"JOIN sentences AS s ON s.rowid = sentences_fts.rowid{join} "
            f"WHERE sentences_fts MATCH ?{where} ORDER BY rank LIMIT ?",
            (" OR ".join(terms), *params, limit),
        )
        # FTS5's bm25() is lower-is-better; flip it so every score in newsqa is higher-is-better.
        return [(str(r[0]), int(r[1]), -float(r[2])) for r in rows]

    def stats(self) -> StoreStats:
        one = self._db.execute
        outlets = one(
            "SELECT COALESCE(outlet, '(unknown)'), COUNT(*) FROM articles GROUP BY 1 "
            "ORDER BY 2 DESC, 1"
        ).fetchall()
        first, last = one("SELECT MIN(published), MAX(published) FROM articles").fetchone()
        removed = sum(
            len(json.loads(r[0])) for r in one("SELECT removed FROM articles WHERE removed != '[]'")
        )
        return StoreStats(
            articles=self.article_count(),
            sentences=self.sentence_count(),
            sources=one("SELECT COUNT(*) FROM sources").fetchone()[0],
            outlets=tuple((str(o), int(n)) for o, n in outlets),
            first_published=first,
            last_published=last,
            unindexed=one("SELECT COUNT(*) FROM articles WHERE indexed = 0").fetchone()[0],
            near_duplicate_pairs=one("SELECT COUNT(*) FROM article_links").fetchone()[0] // 2,
            removed_pieces=removed,
            size_bytes=sum(p.stat().st_size for p in self.path.parent.glob(self.path.name + "*")),
        )


def connect(path: Path, schema: str) -> sqlite3.Connection:
    """The index's SQLite file for a module that keeps its own tables in it, with `schema`
    (its `CREATE TABLE IF NOT EXISTS` statements) run; an index that does not exist yet is an
    error, never created here.

        db = connect(settings.store_path, "CREATE TABLE IF NOT EXISTS notes (text TEXT);")
    """
    if not path.is_file():
        raise _missing_index(path)
    db: sqlite3.Connection | None = None
    try:
        # Usable from another thread than the opener's, as the Store is: Streamlit reruns a
        # page in a new thread.
        db = sqlite3.connect(path, timeout=10, check_same_thread=False)
        db.executescript(schema)
    except sqlite3.DatabaseError as exc:
        if db is not None:
            db.close()
        raise _open_error(path, exc) from None
    return db


def _missing_index(path: Path) -> StoreError:
    return StoreError(
        f"no index at {path.parent}: run 'newsqa ingest PATH' (or 'newsqa ingest --sample')"
    )


def _open_error(path: Path, exc: sqlite3.DatabaseError) -> StoreError:
    """Why the store could not be opened, in words that lead to the fix."""
    name = getattr(exc, "sqlite_errorname", "")
    if path.is_dir():
        return StoreError(
            f"{path} is a folder, not a newsqa store: move it away, or give another --index"
        )
    if name.startswith(("SQLITE_READONLY", "SQLITE_CANTOPEN", "SQLITE_PERM")) or not _writable(
        path
    ):
        return StoreError(
            f"cannot write the index at {path.parent}: {exc} (the folder or {path.name} is "
            "read-only or permission is denied): make it writable, or give another --index"
        )
    if name.startswith("SQLITE_FULL"):
        return StoreError(f"cannot write the index at {path.parent}: the disk is full: free space")
    if name.startswith("SQLITE_BUSY"):
        return StoreError(
            f"the index at {path.parent} is locked by another newsqa run: wait for it to end"
        )
    return StoreError(
        f"cannot open the store {path}: {exc} (is it a newsqa index? move it away and ingest again)"
    )


def _writable(path: Path) -> bool:
    """Whether this process may write the store file (or create it in its folder)."""
    return os.access(path if path.exists() else path.parent, os.W_OK)


def _norm_hash(text: str) -> str | None:
    """Hash of a sentence with case, punctuation and spacing folded; None for short ones.

    Short sentences ("He said no.") recur across unrelated articles and would fake wire copies.
    """
    words = "".join(c if c.isalnum() else " " for c in text.lower()).split()
    if len(words) < 6:
        return None
    return hashlib.blake2b(" ".join(words).encode(), digest_size=8).hexdigest()


def _fts_terms(query: str) -> list[str]:
    # Quote every word so FTS5 syntax in a question (AND, NEAR, "*", ":") is read as text.
    words = "".join(c if c.isalnum() else " " for c in query).split()
    kept = [w for w in words if w.lower() not in STOPWORDS and (len(w) > 1 or w.isdigit())]
    return [f'"{w}"' for w in kept]


def _filter_sql(filters: Filters | None) -> tuple[str, list[str]]:
    """An AND-clause over `articles AS a` for the filters (empty when there are none)."""
    if not filters:
        return "", []
    clauses: list[str] = []
    params: list[str] = []
    if filters.sources:
        clauses.append(f"a.outlet IN ({', '.join('?' * len(filters.sources))})")
        params += filters.sources
    if filters.article_ids:
        clauses.append(f"a.id IN ({', '.join('?' * len(filters.article_ids))})")
        params += filters.article_ids
    if filters.since:
        clauses.append("substr(a.published, 1, 10) >= ?")
        params.append(filters.since)
    if filters.until:
        clauses.append("substr(a.published, 1, 10) <= ?")
        params.append(filters.until)
    return " AND " + " AND ".join(clauses), params
