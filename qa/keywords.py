"""The keyword index: BM25 over sentences with tantivy, which returns the top hits without
scoring every match.

SQLite's FTS5 scores every sentence holding any question word before it sorts: at a million
sentences 48 ms a question at the median and 140 ms at p95, against 0.9 and 1.4 ms here, with
93% of the same top 60 (`scripts/bench_keyword.py`). The sentences stay in SQLite, the source of
truth; this index holds their words (Snowball-stemmed), address and filter fields only, under
`index/keywords`. It is written with the vectors, a group at a time, before the store marks the
group indexed, so a killed ingest rewrites what it had not confirmed; an index made before it is
filled from the store on its next ingest, and until then questions use FTS5.

    keywords = KeywordIndex.open(settings.keywords_path)
    keywords.lexical_search("flood evacuated", limit=60)   # [(article_id, index, score)]
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from qa.errors import VectorIndexError
from qa.private import private_folder
from qa.store.sqlite.search import fts_terms
from qa.types import Filters

# Bumped when what the index holds changes: the next ingest then fills it again.
KEYWORDS_VERSION = "1"
WRITER_MEMORY = 100_000_000  # bytes tantivy buffers before it writes a segment
LOCK_WAIT = 60.0  # seconds a writer waits for another process's writer


@dataclass(frozen=True)
class KeywordRow:
    """One sentence as the keyword index holds it."""

    article_id: str
    sentence_index: int
    text: str
    published_day: int | None = None
    outlet: str | None = None


class KeywordIndex:
    def __init__(self, index: Any, path: Path) -> None:
        self._index = index
        self.path = path
        self._writer: Any = None

    @classmethod
    def open(cls, path: Path) -> KeywordIndex:
        """The index at `path`, created empty when missing."""
        import tantivy

        try:
            private_folder(path)
            return cls(tantivy.Index(_schema(), path=str(path)), path)
        except (OSError, ValueError) as exc:
            raise VectorIndexError(f"cannot open the keyword index at {path}: {exc}") from None

    # -- writing (ingest) ----------------------------------------------------------------------

    def write(self, rows: Sequence[KeywordRow], *, replacing: Iterable[str] = ()) -> None:
        """Drop the sentences of the articles in `replacing`, add `rows`, and commit."""
        import tantivy

        writer = self._writer_now()
        for article_id in replacing:
            writer.delete_documents_by_term("article_id", article_id)
        for row in rows:
            fields: dict[str, Any] = {
                "text": row.text,
                "article_id": row.article_id,
                "sentence": row.sentence_index,
            }
            if row.published_day is not None:
                fields["published_day"] = row.published_day
            if row.outlet:
                fields["outlet"] = row.outlet
            writer.add_document(tantivy.Document(**fields))
        writer.commit()

    def clear(self) -> None:
        """Drop every sentence (before the index is filled again from the store)."""
        writer = self._writer_now()
        writer.delete_all_documents()
        writer.commit()

    def close_writer(self) -> None:
        """Let another process write (tantivy allows one writer at a time)."""
        if self._writer is not None:
            self._writer.wait_merging_threads()
            self._writer = None

    def _writer_now(self) -> Any:
        if self._writer is None:
            deadline = time.monotonic() + LOCK_WAIT
            while True:
                try:
                    self._writer = self._index.writer(heap_size=WRITER_MEMORY, num_threads=1)
                    break
                except ValueError as exc:  # another process holds the writer's lock
                    if time.monotonic() > deadline:
                        raise VectorIndexError(
                            f"the keyword index at {self.path} is being written by another "
                            f"ingest ({exc}): wait for it to finish and run this one again"
                        ) from None
                    time.sleep(0.5)
        return self._writer

    # -- reading (questions) -------------------------------------------------------------------

    def count(self) -> int:
        self._index.reload()
        return int(self._index.searcher().num_docs)

    def lexical_search(
        self, query: str, *, limit: int = 50, filters: Filters | None = None
    ) -> list[tuple[str, int, float]]:
        """BM25 over sentences: (article_id, sentence index, score), best first; the words are
        those FTS5 would be given (`fts_terms`)."""
        import tantivy

        terms = fts_terms(query)
        if not terms:
            return []
        self._index.reload()  # what other processes committed since the last question
        searcher = self._index.searcher()
        found = self._index.parse_query(" OR ".join(terms), ["text"])
        conditions = _filter_queries(self._index.schema, filters)
        if conditions:
            # Filters decide what is found and add nothing to its score.
            clauses = [(tantivy.Occur.Must, found)] + [
                (tantivy.Occur.Must, tantivy.Query.const_score_query(c, 0.0)) for c in conditions
            ]
            found = tantivy.Query.boolean_query(clauses)
        hits = searcher.search(found, limit).hits
        out = []
        for score, address in hits:
            doc = searcher.doc(address)
            out.append((str(doc["article_id"][0]), int(doc["sentence"][0]), float(score)))
        return out


def _schema() -> Any:
    import tantivy

    builder = tantivy.SchemaBuilder()
    builder.add_text_field("text", stored=False, tokenizer_name="en_stem")
    builder.add_text_field("article_id", stored=True, tokenizer_name="raw")
    builder.add_integer_field("sentence", stored=True, indexed=False)
    builder.add_integer_field("published_day", indexed=True, fast=True)
    builder.add_text_field("outlet", stored=False, tokenizer_name="raw")
    return builder.build()


def _filter_queries(schema: Any, filters: Filters | None) -> list[Any]:
    """Our Filters as tantivy queries (dates as YYYYMMDD numbers, as in the vector index)."""
    import tantivy

    if not filters:
        return []
    filters.check_resolved()
    out = []
    if filters.sources:
        out.append(tantivy.Query.term_set_query(schema, "outlet", list(filters.sources)))
    if filters.article_ids:
        out.append(tantivy.Query.term_set_query(schema, "article_id", list(filters.article_ids)))
    if filters.since or filters.until:
        out.append(
            tantivy.Query.range_query(
                schema,
                "published_day",
                tantivy.FieldType.Integer,
                _day(filters.since) if filters.since else None,
                _day(filters.until) if filters.until else None,
            )
        )
    return out


def _day(iso: str) -> int:
    return int(iso[:10].replace("-", ""))
