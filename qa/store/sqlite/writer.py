"""Ingest's writes to SQLite: every article of one container in one transaction, wire copies
linked as they arrive, orphaned articles deleted and queued for the vector index to drop; the
vocabulary (`vocabulary`) counts the words of the sentences written and deleted, in the same
transaction.

SQLite gives what local Chroma lacks: transactions (an interrupted ingest leaves every article
either fully stored or absent) and, through the triggers of `schema`, an FTS5 index that
follows every sentence written or deleted here.

    writer = SqliteWriter(Database.open(path))
    results, orphans = writer.save_container(key, raw_hash, [(ref, article)], drop_missing=True)
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence

from qa.collection_name import DEFAULT_COLLECTION, collection_name
from qa.errors import CollectionError, IndexMismatchError
from qa.store.clock import timestamp
from qa.store.protocols import ArticleWriter
from qa.store.rows import SaveResult, SourceRef
from qa.store.sqlite.collections import add_members, bump_collections_version
from qa.store.sqlite.database import Database, SqlitePart
from qa.store.sqlite.totals import add_totals
from qa.store.sqlite.vocabulary import add_words, remove_words, sentence_words
from qa.types import Article


class SqliteWriter(SqlitePart, ArticleWriter):
    def bind_embedding_model(self, model_id: str) -> None:
        """Record the embedding model on first use; refuse to mix vectors of two models."""
        current = self._db.get_meta("embedding_model")
        if current is None:
            if not self._db.read_only:  # a read-only index is read as it is
                self._db.set_meta("embedding_model", model_id)
        elif current != model_id:
            raise IndexMismatchError(
                f"the index at {self._db.path.parent} was built with embedding model "
                f"'{current}', not '{model_id}': set NEWSQA_EMBED_MODEL={current} or use a new "
                "--index"
            )

    def container_hash(self, container: str) -> str | None:
        """The raw-bytes hash last stored for a file or feed, to skip unchanged inputs fast."""
        found = self._db.value(
            "SELECT raw_hash FROM sources WHERE container = ? LIMIT 1", (container,)
        )
        return None if found is None else str(found)

    def save_container(
        self,
        container: str,
        raw_hash: str,
        articles: Sequence[tuple[SourceRef, Article]],
        *,
        drop_missing: bool,
        near_duplicate_threshold: float = 0.5,
        collection: str | None = None,
        join_stored: bool = True,
    ) -> tuple[list[SaveResult], list[str]]:
        """Store every article read from one container in one transaction, with the
        collections they belong to (so a failure between the two never leaves an article in
        the default collection, open to all).

        With `drop_missing`, sources of this container that were not read again (a JSON line
        removed from its file) are dropped; feeds pass False, since items roll off a feed.
        New articles go in `collection`, else in the collections the container's articles are
        in (a feed refreshed without naming its collection keeps it); articles already stored
        join `collection` too unless `join_stored` is False (the page: a visitor must not pull
        another collection's story into theirs by adding its link). Returns the per-article
        results and the ids of articles deleted as orphans.
        """
        with self._db.transaction():
            held = [
                str(r[0])
                for r in self._db.rows(
                    "SELECT DISTINCT m.collection FROM sources AS s JOIN collection_articles "
                    "AS m ON m.article_id = s.article_id WHERE s.container = ?",
                    (container,),
                )
            ]
            results = [
                self._save_article(ref, article, raw_hash, near_duplicate_threshold)
                for ref, article in articles
            ]
            seen = {ref.key for ref, _ in articles}
            rows = self._db.rows(
                "SELECT key, article_id FROM sources WHERE container = ?", (container,)
            )
            stale = [row for row in rows if row["key"] not in seen] if drop_missing else []
            for row in stale:
                self._db.run("DELETE FROM sources WHERE key = ?", (row["key"],))
            self._db.run(
                "UPDATE sources SET raw_hash = ? WHERE container = ?", (raw_hash, container)
            )
            for result in results:
                if result.previous_id is not None and result.previous_id != result.article_id:
                    # A new version keeps the collections of the one it replaces: left
                    # without, it would fall into the default collection, open to all.
                    self._db.run(
                        "INSERT OR IGNORE INTO collection_articles (collection, article_id) "
                        "SELECT collection, ? FROM collection_articles WHERE article_id = ?",
                        (result.article_id, result.previous_id),
                    )
            added = [r.article_id for r in results if r.outcome == "added"]
            if collection is not None:
                stored = [r.article_id for r in results if r.outcome != "added"]
                add_members(self._db, collection, [*added, *(stored if join_stored else [])],
                            new=added)  # fmt: skip
            else:
                for name in held:
                    add_members(self._db, name, added, new=added)
            candidates = {r.article_id for r in results} | {row["article_id"] for row in rows}
            candidates |= {r.previous_id for r in results if r.previous_id is not None}
            orphans = self._delete_orphans(candidates)
        return results, orphans

    def remove_articles(self, article_ids: Sequence[str]) -> list[str]:
        """Delete these articles, their sentences, sources, links and the claims no other
        sentence uses, in one transaction, and queue their vectors for deletion. Returns the
        containers (files, feeds) that no longer hold any article."""
        with self._db.transaction():
            return self._remove_articles(article_ids)

    def take_out_of_collection(
        self, collection: str, article_ids: Sequence[str]
    ) -> tuple[list[str], list[str], list[str]]:
        """Take the articles out of the collection, in one transaction with removing those
        it leaves in no collection (left alone, they would fall back to the default one).
        Returns the articles kept for their other collections, those removed, and the
        containers that no longer hold any article."""
        collection = collection_name(collection)
        kept: list[str] = []
        removed: list[str] = []
        with self._db.transaction():
            for article_id in dict.fromkeys(article_ids):
                rows = self._db.rows(
                    "SELECT collection FROM collection_articles WHERE article_id = ?",
                    (article_id,),
                )
                before = {str(r[0]) for r in rows}
                if collection not in before and (before or collection != DEFAULT_COLLECTION):
                    raise CollectionError(
                        f"article {article_id} is not in the collection {collection!r}; "
                        "nothing was taken out"
                    )
                self._db.run(
                    "DELETE FROM collection_articles WHERE collection = ? AND article_id = ?",
                    (collection, article_id),
                )
                (kept if before - {collection} else removed).append(article_id)
            bump_collections_version(self._db)
            return kept, removed, self._remove_articles(removed)

    def _remove_articles(self, article_ids: Sequence[str]) -> list[str]:
        """`remove_articles` inside the caller's transaction."""
        containers: set[str] = set()
        for article_id in dict.fromkeys(article_ids):
            texts = [
                str(r[0])
                for r in self._db.rows(
                    "SELECT text FROM sentences WHERE article_id = ?", (article_id,)
                )
            ]
            rows = self._db.rows(
                "SELECT DISTINCT container FROM sources WHERE article_id = ?", (article_id,)
            )
            containers |= {str(r[0]) for r in rows}
            self._db.run("DELETE FROM sources WHERE article_id = ?", (article_id,))
            self._delete_article(article_id)
            self._forget_claims(texts)
        return sorted(
            c
            for c in containers
            if self._db.row("SELECT 1 FROM sources WHERE container = ? LIMIT 1", (c,)) is None
        )

    def _forget_claims(self, texts: Iterable[str]) -> None:
        # Claims are kept by sentence text, shared by wire copies: a text another stored
        # sentence still has keeps them. Short texts carry no hash to look that up by and are
        # read again, if another article has them, on the next ingest.
        for text in dict.fromkeys(texts):
            norm = _norm_hash(text)
            held = norm is not None and self._db.row(
                "SELECT 1 FROM sentences WHERE norm_hash = ? AND text = ? LIMIT 1", (norm, text)
            )
            if not held:
                self._db.run("DELETE FROM claims WHERE text = ?", (text,))

    def _save_article(
        self, ref: SourceRef, article: Article, raw_hash: str, threshold: float
    ) -> SaveResult:
        previous = self._db.value("SELECT article_id FROM sources WHERE key = ?", (ref.key,))
        exists = self._db.row("SELECT 1 FROM articles WHERE id = ?", (article.id,))
        if not exists:
            self._insert_article(article)
            self._link_near_duplicates(article.id, threshold)
        self._db.run(
            "INSERT INTO sources(key, origin, container, item, article_id, raw_hash, seen_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(key) DO UPDATE SET "
            "origin = excluded.origin, article_id = excluded.article_id, "
            "raw_hash = excluded.raw_hash, seen_at = excluded.seen_at",
            (ref.key, ref.origin, ref.container, ref.item, article.id, raw_hash, timestamp()),
        )
        if previous == article.id:
            return SaveResult("unchanged", article.id, ref)
        if previous is not None:
            return SaveResult("updated", article.id, ref, previous_id=str(previous))
        return SaveResult("duplicate" if exists else "added", article.id, ref)

    def _insert_article(self, article: Article) -> None:
        removed = json.dumps([{"text": r.text, "reason": r.reason} for r in article.removed])
        self._db.run(
            "INSERT INTO articles(id, title, outlet, author, published, published_raw, url, "
            "origin, item, content_hash, text, removed, indexed, added_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?)",
            (
                article.id, article.title, article.outlet, article.author, article.published,
                article.published_raw, article.url, article.origin, article.item,
                article.content_hash, article.text, removed, timestamp(),
            ),
        )  # fmt: skip
        self._db.run(
            "INSERT INTO outlets(name, articles) VALUES (?, 1) "
            "ON CONFLICT(name) DO UPDATE SET articles = articles + 1",
            (article.outlet or "",),
        )
        add_totals(self._db, 1, len(article.sentences), len(article.removed))
        self._db.run_many(
            'INSERT INTO sentences(article_id, idx, start, "end", paragraph, text, norm_hash) '
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                (s.article_id, s.index, s.start, s.end, s.paragraph, s.text, _norm_hash(s.text))
                for s in article.sentences
            ],
        )
        add_words(self._db, sentence_words(s.text for s in article.sentences))

    def _link_near_duplicates(self, article_id: str, threshold: float) -> None:
        # Wire copies share most sentences word for word; containment of normalised sentence
        # hashes finds them with one indexed join, and tolerates an edited intro or added line.
        # A copy is linked to its group's first article only (a star, not every pair), and each
        # of its sentences is looked up in at most HOLDERS earlier articles: 20,000 copies of
        # one story cost 20,000 links and linear time, not 400 million of each.
        rows = self._db.rows(
            "SELECT other.article_id AS other_id, COUNT(DISTINCT other.norm_hash) AS shared "
            "FROM sentences AS mine JOIN sentences AS other ON other.rowid IN ("
            "  SELECT rowid FROM sentences WHERE norm_hash = mine.norm_hash AND article_id != ?"
            f"  ORDER BY rowid LIMIT {HOLDERS}) "
            "WHERE mine.article_id = ? AND mine.norm_hash IS NOT NULL GROUP BY other.article_id",
            (article_id, article_id),
        )
        own_total = self._db.value(
            "SELECT COUNT(DISTINCT norm_hash) FROM sentences WHERE article_id = ? "
            "AND norm_hash IS NOT NULL",
            (article_id,),
        )
        best: tuple[float, str] | None = None
        for row in rows:
            other_total = self._db.value(
                "SELECT COUNT(DISTINCT norm_hash) FROM sentences WHERE article_id = ? "
                "AND norm_hash IS NOT NULL",
                (row["other_id"],),
            )
            score = row["shared"] / (min(own_total, other_total) or 1)
            if score >= threshold and (best is None or (score, row["other_id"]) > best):
                best = (score, str(row["other_id"]))
        if best is None:
            return
        score, other = best
        root = self._db.value(
            "SELECT other_id FROM article_links WHERE article_id = ? AND kind = 'near_duplicate'"
            " ORDER BY score DESC, other_id LIMIT 1",
            (other,),
        )
        self._db.run(
            "INSERT OR REPLACE INTO article_links(article_id, other_id, kind, score) "
            "VALUES (?, ?, 'near_duplicate', ?)",
            (article_id, root or other, round(score, 4)),
        )

    def _delete_orphans(self, candidates: Iterable[str]) -> list[str]:
        orphans = []
        for article_id in sorted(candidates):
            used = self._db.row("SELECT 1 FROM sources WHERE article_id = ? LIMIT 1", (article_id,))
            if used is None:
                self._delete_article(article_id)
                orphans.append(article_id)
        return orphans

    def _delete_article(self, article_id: str) -> None:
        # Sentences first, so the FTS delete trigger sees each row; then queue the vectors.
        texts = self._db.rows("SELECT text FROM sentences WHERE article_id = ?", (article_id,))
        remove_words(self._db, sentence_words(str(row["text"]) for row in texts))
        self._db.run("DELETE FROM sentences WHERE article_id = ?", (article_id,))
        # A group's first article leaving: its earliest copy is the group's new first.
        copies = [str(r[0]) for r in self._db.rows(
            "SELECT article_id FROM article_links WHERE other_id = ? AND kind = 'near_duplicate' "
            "ORDER BY rowid", (article_id,))]  # fmt: skip
        if copies:
            self._db.run(
                "UPDATE article_links SET other_id = ? WHERE other_id = ? AND article_id != ?",
                (copies[0], article_id, copies[0]),
            )
        self._db.run(
            "DELETE FROM article_links WHERE article_id = ? OR other_id = ?",
            (article_id, article_id),
        )
        outlet = self._db.row(
            "SELECT COALESCE(outlet, ''), removed FROM articles WHERE id = ?", (article_id,)
        )
        if outlet is not None:
            self._db.run("UPDATE outlets SET articles = articles - 1 WHERE name = ?", (outlet[0],))
            self._db.run("DELETE FROM outlets WHERE name = ? AND articles <= 0", (outlet[0],))
            add_totals(self._db, -1, -len(texts), -len(json.loads(outlet[1])))
        self._db.run("DELETE FROM articles WHERE id = ?", (article_id,))
        self._db.run("INSERT OR IGNORE INTO vector_deletes(article_id) VALUES (?)", (article_id,))


HOLDERS = 20  # earlier articles a sentence is looked up in when linking wire copies


def count_outlets(db: Database) -> None:
    """Indexes written before the outlet counts get them from their articles, once."""
    if db.get_meta("outlets_counted") != "1":
        with db.transaction():
            db.run("DELETE FROM outlets")
            db.run(
                "INSERT INTO outlets(name, articles) "
                "SELECT COALESCE(outlet, ''), COUNT(*) FROM articles GROUP BY 1"
            )
            db.set_meta("outlets_counted", "1")


def group_wire_links(db: Database) -> None:
    """Indexes written before wire-copy groups linked every pair of copies (n² rows for n
    copies): relink each copy to its group's first article, once, in one transaction."""
    if db.get_meta("wire_links") == "grouped":
        return
    with db.transaction():
        pairs = db.rows(
            "SELECT article_id, other_id, score FROM article_links WHERE kind = 'near_duplicate'"
        )
        parent: dict[str, str] = {}

        def find(a: str) -> str:
            while parent.setdefault(a, a) != a:
                parent[a] = parent[parent[a]]
                a = parent[a]
            return a

        score: dict[str, float] = {}
        for a, b, s in ((str(r[0]), str(r[1]), float(r[2])) for r in pairs):
            parent[find(a)] = find(b)
            score[a] = max(s, score.get(a, 0.0))
        if any(find(a) != a for a in list(parent)):
            order = {str(r[0]): int(r[1]) for r in db.rows("SELECT id, rowid FROM articles")}
            groups: dict[str, list[str]] = {}
            for a in parent:
                groups.setdefault(find(a), []).append(a)
            db.run("DELETE FROM article_links WHERE kind = 'near_duplicate'")
            for members in groups.values():
                first, *copies = sorted(members, key=lambda a: (order.get(a, 0), a))
                db.run_many(
                    "INSERT OR REPLACE INTO article_links(article_id, other_id, kind, score) "
                    "VALUES (?, ?, 'near_duplicate', ?)",
                    [(c, first, score.get(c, 1.0)) for c in copies],
                )
        db.set_meta("wire_links", "grouped")


def _norm_hash(text: str) -> str | None:
    """Hash of a sentence with case, punctuation and spacing folded; None for short ones.

    Short sentences ("He said no.") recur across unrelated articles and would fake wire copies.
    """
    words = "".join(c if c.isalnum() else " " for c in text.lower()).split()
    if len(words) < 6:
        return None
    return hashlib.blake2b(" ".join(words).encode(), digest_size=8).hexdigest()
