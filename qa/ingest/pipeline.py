"""The ingest run: inputs -> articles in the store -> sentence vectors in Chroma.

Each input (a file, a page, a feed) is stored in one SQLite transaction; vectors follow in a
second phase that works from the store's `indexed` flags. A run killed at any point therefore
leaves whole articles in the store, and the next run embeds whatever is still unindexed.

    ingestor = Ingestor(settings)
    report = ingestor.ingest(["articles/", "https://example.com/feed.xml"])
    print(report.summary())
"""

from __future__ import annotations

import hashlib
import os
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from qa.access import collection_name
from qa.errors import InputError
from qa.ingest.build import build_article
from qa.ingest.decode import decode_text
from qa.ingest.feed import looks_like_feed, read_feed
from qa.ingest.fetch import Fetched, fetch
from qa.ingest.sources import Input, expand_inputs
from qa.ingest.text import read_markdown, read_text
from qa.store import SourceRef, Store
from qa.types import Article, RawArticle

if TYPE_CHECKING:
    from qa.config import Settings
    from qa.embed import Embedder
    from qa.index import VectorIndex, VectorItem
    from qa.keywords import KeywordIndex, KeywordRow

Progress = Callable[[str, int, int], None]  # phase, done, total
CLAIM_BATCH = 10_000  # sentence texts annotated and saved together
# Worker processes for a large batch: 1.65x on 2 cores (measured); each loads the pipeline.
CLAIM_PROCESSES = min(2, os.cpu_count() or 1)


@dataclass
class IngestReport:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    duplicates: int = 0
    removed: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)
    # Stored, but not as well as it should be (a feed item kept as its summary): (input, why).
    warnings: list[tuple[str, str]] = field(default_factory=list)
    sentences_added: int = 0
    vectors_added: int = 0
    texts_embedded: int = 0  # distinct sentences and headlines sent to the model
    texts_annotated: int = 0  # distinct sentence texts read for claims (`qa.claims`)
    seconds: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)  # seconds per phase

    def add_time(self, phase: str, seconds: float) -> None:
        self.timings[phase] = self.timings.get(phase, 0.0) + seconds

    def summary(self) -> str:
        parts = [
            f"{self.added} added",
            f"{self.updated} updated",
            f"{self.unchanged} unchanged",
            f"{self.duplicates} duplicate{'s' if self.duplicates != 1 else ''} linked",
            f"{self.removed} removed",
            f"{len(self.failed)} failed",
        ]
        if self.warnings:
            parts.append(f"{len(self.warnings)} warning{'s' if len(self.warnings) != 1 else ''}")
        return (
            ", ".join(parts)
            + f"; {self.sentences_added} sentences, {self.vectors_added} vectors"
            + f" in {self.seconds:.1f} s"
        )


@dataclass(frozen=True)
class _Container:
    """What one input yielded: its articles (or per-item errors) and the hash of its bytes."""

    input: Input
    raw_hash: str
    items: list[RawArticle | InputError]
    drop_missing: bool
    warnings: list[InputError] = field(default_factory=list)


class Ingestor:
    def __init__(
        self,
        settings: Settings,
        *,
        store: Store | None = None,
        embedder: Embedder | None = None,
        vector_index: VectorIndex | None = None,
        progress: Progress | None = None,
        on_error: Callable[[InputError], None] | None = None,
        on_warning: Callable[[InputError], None] | None = None,
        prepare_query_model: bool = True,
        annotate: bool = True,
        public_only: bool = False,
        collection: str | None = None,
        visitor: bool = False,
    ) -> None:
        """`collection` names the collection what is read joins (an article already stored
        joins it too, but not for a page `visitor`: they must not pull another collection's
        story into theirs by adding its link); None leaves new articles in the collections of
        the file or feed they come from (the default one for a new input)."""
        self.visitor = visitor
        self.settings = settings
        self.collection = collection_name(collection) if collection is not None else None
        # Set for the page: a visitor's URL may only reach public addresses (qa.ingest.fetch).
        self.public_only = public_only
        self._prepare_query_model = prepare_query_model
        self._annotate = annotate
        self.store = store or Store.open(settings.store_path)
        self._embedder = embedder
        self._vector_index = vector_index
        self._keywords: KeywordIndex | None = None
        self._progress = progress or (lambda phase, done, total: None)
        self._on_error = on_error or (lambda error: None)
        self._on_warning = on_warning or (lambda warning: None)

    @property
    def embedder(self) -> Embedder:
        if self._embedder is None:
            from qa.embed import load_embedder

            self._embedder = load_embedder(self.settings.embedding)
        return self._embedder

    @property
    def vector_index(self) -> VectorIndex:
        if self._vector_index is None:
            from qa.index import VectorIndex

            self._vector_index = VectorIndex.open(self.settings.chroma)
        return self._vector_index

    @property
    def keywords(self) -> KeywordIndex:
        if self._keywords is None:
            from qa.keywords import KeywordIndex

            self._keywords = KeywordIndex.open(self.settings.keywords_path)
        return self._keywords

    # -- phase 1: read and store ---------------------------------------------------------

    def ingest(
        self,
        specs: list[str],
        *,
        progress: Progress | None = None,
        collection: str | None = None,
    ) -> IngestReport:
        """Read, store, embed and annotate `specs`; `progress` (phase, done, total) hears this
        call's phases instead of the constructor's: "read" (inputs), "embed" (sentences),
        "annotate" (texts read for claims; total 0: not known ahead); `collection`, this
        call's collection instead of the constructor's. One call at a time."""
        kept = self._progress, self.collection
        if progress is not None:
            self._progress = progress
        if collection is not None:
            self.collection = collection_name(collection)
        try:
            return self._ingest(specs)
        finally:
            self._progress, self.collection = kept

    def _ingest(self, specs: list[str]) -> IngestReport:
        started = time.perf_counter()
        report = IngestReport()
        self.store.bind_embedding_model(self.settings.embed_model)
        # An index made before the vocabulary has it empty: counted from the stored sentences
        # now, once, before this run's articles add theirs (instant when it is complete).
        filling = time.perf_counter()
        self.store.fill_vocabulary()
        report.add_time("fill_vocabulary", time.perf_counter() - filling)
        inputs = list(expand_inputs(specs))
        for done, found in enumerate(inputs, start=1):
            if isinstance(found, InputError):
                self._fail(report, found)
            else:
                self._ingest_one(found, report)
            self._progress("read", done, len(inputs))
        report.add_time("read_and_store", time.perf_counter() - started)
        report.vectors_added = self.sync_vectors(report)
        if self._prepare_query_model and self.store.article_count():
            from qa.embed import prepare_query_model

            exporting = time.perf_counter()
            # Exported now, not at the first question; a run after a failed export (a full
            # disk: WriteError) tries again even when no article changed.
            prepare_query_model(self.settings.embedding)
            report.add_time("export_query_model", time.perf_counter() - exporting)
        if self._annotate:
            self.annotate_claims(report)
        report.seconds = time.perf_counter() - started
        return report

    def annotate_claims(self, report: IngestReport | None = None) -> int:
        """Claims (`qa.claims`) for every stored sentence text not read with this annotator
        version yet; each batch is saved on its own, so an interrupted run loses nothing and the
        next one goes on. Annotation never fails an ingest: without the pipeline, a warning."""
        from qa.claims import ANNOTATOR_VERSION, annotate

        started = time.perf_counter()
        done = 0
        try:
            while texts := self.store.unannotated_texts(ANNOTATOR_VERSION, limit=CLAIM_BATCH):
                processes = CLAIM_PROCESSES if len(texts) >= 2000 else 1
                claims = annotate(texts, processes=processes)
                self.store.save_claims(ANNOTATOR_VERSION, list(zip(texts, claims, strict=True)))
                done += len(texts)
                self._progress("annotate", done, 0)
        except (ImportError, OSError) as exc:  # the spaCy pipeline is not installed or broken
            warning = InputError("claims", f"sentences stored without claims: {exc}")
            if report is not None:
                report.warnings.append((warning.origin, warning.problem))
            self._on_warning(warning)
        if report is not None:
            report.texts_annotated += done
            report.add_time("annotate", time.perf_counter() - started)
        return done

    def _ingest_one(self, source: Input, report: IngestReport) -> None:
        try:
            container = self._read(source)
        except InputError as error:
            self._fail(report, error)
            return
        if container is None:
            report.unchanged += 1
            if self.collection and not self.visitor:
                # The owner's command line: what the file holds joins the collection. Not from
                # the page: a feed's stored items include some it no longer carries, and a
                # visitor could pull another collection's stories into theirs by its link.
                self.store.add_to_collection(
                    self.collection, self.store.container_article_ids(source.key)
                )
            return
        for warning in container.warnings:
            report.warnings.append((warning.origin, warning.problem))
            self._on_warning(warning)
        built: list[tuple[SourceRef, Article]] = []
        for item in container.items:
            if isinstance(item, InputError):
                self._fail(report, item)
                continue
            try:
                article = build_article(item)
            except InputError as error:
                self._fail(report, error)
                continue
            key = source.key if article.item is None else f"{source.key}#{article.item}"
            built.append((SourceRef(key, source.origin, source.key, article.item), article))
        if not built and not container.drop_missing:
            return
        results, orphans = self.store.save_container(
            source.key,
            container.raw_hash,
            built,
            drop_missing=container.drop_missing,
            near_duplicate_threshold=self.settings.near_duplicate_threshold,
            collection=self.collection,
            join_stored=not self.visitor,
        )
        sentences = {a.id: len(a.sentences) for _, a in built}
        for result in results:
            setattr(report, _COUNTER[result.outcome], getattr(report, _COUNTER[result.outcome]) + 1)
            if result.outcome in ("added", "updated"):
                report.sentences_added += sentences[result.article_id]
        replaced = sum(1 for r in results if r.outcome == "updated")
        report.removed += max(0, len(orphans) - replaced)

    def _fail(self, report: IngestReport, error: InputError) -> None:
        report.failed.append((error.origin, error.problem))
        self._on_error(error)

    def _read(self, source: Input) -> _Container | None:
        """Read one input; None when its bytes are exactly those stored last time."""
        if source.is_url:
            fetched = self._fetch(source.origin)
            data, page_url = fetched.content, fetched.url
        else:
            data, page_url = self._read_file(source), None
        raw_hash = hashlib.sha256(data).hexdigest()
        if self.store.container_hash(source.key) == raw_hash:
            return None
        kind = source.kind if source.kind != "sniff" else _sniff(data)
        warnings: list[InputError] = []
        items = list(self._parse(kind, data, source.origin, page_url, warnings.append))
        if not items:
            raise InputError(source.origin, "no articles found in it")
        return _Container(source, raw_hash, items, drop_missing=kind != "feed", warnings=warnings)

    @property
    def _max_bytes(self) -> int:
        return int(self.settings.max_input_mb * 1_000_000)

    def _read_file(self, source: Input) -> bytes:
        path = Path(source.path or source.key)
        try:
            size = path.stat().st_size
            if size > self._max_bytes:
                raise InputError(
                    source.origin,
                    f"{size / 1e6:.0f} MB is larger than the {self.settings.max_input_mb:g} MB "
                    "limit (raise NEWSQA_MAX_INPUT_MB to read it)",
                )
            return path.read_bytes()
        except OSError as exc:
            raise InputError(source.origin, f"cannot read it ({exc.strerror})") from None

    def _parse(
        self,
        kind: str,
        data: bytes,
        origin: str,
        page_url: str | None,
        warn: Callable[[InputError], None],
    ) -> Iterator[RawArticle | InputError]:
        if kind == "feed":
            yield from read_feed(data, origin=origin, read_page=self._read_page, on_warning=warn)
            return
        text = decode_text(data, origin)
        if kind == "html":
            yield _read_html(text, origin=origin, url=page_url)
        elif kind in ("json", "jsonl"):
            from qa.ingest.jsonl import read_json_items

            yield from read_json_items(
                text, origin=origin, jsonl=kind == "jsonl", mapping=self.settings.json_fields
            )
        elif kind == "markdown":
            yield read_markdown(text, origin=origin)
        else:
            yield read_text(text, origin=origin)

    def _fetch(self, url: str) -> Fetched:
        return fetch(
            url,
            timeout=self.settings.fetch_timeout,
            max_bytes=self._max_bytes,
            user_agent=self.settings.user_agent,
            public_only=self.public_only,
        )

    def _read_page(self, url: str) -> RawArticle:
        fetched = self._fetch(url)
        return _read_html(decode_text(fetched.content, url), origin=url, url=fetched.url)

    # -- phase 2: vectors ------------------------------------------------------------------

    def sync_vectors(self, report: IngestReport | None = None) -> int:
        """Bring Chroma in line with the store; returns the number of vectors added.

        Group n is written to Chroma on a second thread while group n+1 is embedded; a group is
        marked indexed only once its write has returned, so a killed run redoes at most the
        groups in flight.
        """
        report = report or IngestReport()
        try:
            return self._sync_vectors(report)
        finally:
            if self._keywords is not None:
                self._keywords.close_writer()

    def drop_deleted(self) -> int:
        """Delete the vectors and keyword entries of articles removed from the store (queued in
        its outbox, so a crash before this leaves them queued); returns how many articles."""
        try:
            return self._drop_deleted()
        finally:
            if self._keywords is not None:
                self._keywords.close_writer()

    def _drop_deleted(self) -> int:
        pending_deletes = self.store.pending_vector_deletes()
        if pending_deletes:
            self.vector_index.delete_articles(pending_deletes)
            self.keywords.write([], replacing=pending_deletes)
            self.store.clear_vector_deletes(pending_deletes)
        return len(pending_deletes)

    def _sync_vectors(self, report: IngestReport) -> int:
        self._drop_deleted()
        self._fill_keywords(report)
        unindexed = self.store.unindexed_article_ids()
        if not unindexed:
            return 0
        total = self.store.unindexed_sentence_count()  # for the progress bar only
        done = added = 0
        in_flight: tuple[Future[float], list[str]] | None = None
        stop = threading.Event()
        groups = self._groups(unindexed)
        group = next(groups, None)
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="chroma-write") as writer:
            try:
                while group is not None:
                    items = self._embed_group(group, report)
                    if in_flight:
                        self._finish_write(*in_flight, report)
                        in_flight = None
                    # The next group is read from SQLite before the write starts: reads beside a
                    # running write wait on the GIL (measured 3 s for 500 articles, against
                    # 0.2 s for 2,000 on their own).
                    upcoming = next(groups, None)
                    ids = [article.id for article in group]
                    words = _keyword_rows(group)
                    in_flight = (writer.submit(self._write_group, ids, items, words, stop), ids)
                    added += len(items)
                    done += sum(len(article.sentences) for article in group)
                    self._progress("embed", done, total)
                    group = upcoming
                if in_flight:
                    self._finish_write(*in_flight, report)
                    in_flight = None
            finally:
                if in_flight:  # an error or Ctrl-C: end the running write early, mark nothing
                    stop.set()
                    in_flight[0].cancel()
        return added

    def _groups(self, article_ids: list[str]) -> Iterator[list[Article]]:
        group: list[Article] = []
        size = 0
        for article_id in article_ids:
            article = self.store.article(article_id)
            if article is None:
                continue
            group.append(article)
            size += len(article.sentences)
            # Groups big enough for efficient batches, small enough that a killed run loses
            # little work: a group is committed to Chroma and marked indexed as one.
            if size >= self.settings.embed_group_size:
                yield group
                group, size = [], 0
        if group:
            yield group

    def _embed_group(self, group: list[Article], report: IngestReport) -> list[VectorItem]:
        from qa.index import VectorItem

        pairs = [(article, s) for article in group for s in article.sentences]
        # Each distinct text once: wire copies and repeated lines share one model pass.
        titles = [article.title for article in group if article.title]
        texts = list(dict.fromkeys([sentence.text for _, sentence in pairs] + titles))
        started = time.perf_counter()
        embedded = dict(zip(texts, self.embedder.embed(texts), strict=True))
        report.add_time("embed", time.perf_counter() - started)
        report.texts_embedded += len(texts)
        return [
            VectorItem(
                article_id=article.id,
                sentence_index=sentence.index,
                vector=with_title(embedded[sentence.text], embedded.get(article.title or "")),
                published_day=_day_number(article.published),
                outlet=article.outlet,
            )
            for article, sentence in pairs
        ]

    def _fill_keywords(self, report: IngestReport) -> None:
        """An index made before the keyword index gets it from the articles already indexed,
        once (7 s for a million sentences); a run killed meanwhile starts it again."""
        from qa.keywords import KEYWORDS_VERSION

        if self.store.get_meta("keywords_version") == KEYWORDS_VERSION:
            return
        started = time.perf_counter()
        indexed = set(self.store.article_ids()) - set(self.store.unindexed_article_ids())
        self.keywords.clear()
        batch: list[Article] = []
        for article_id in sorted(indexed):
            article = self.store.article(article_id)
            if article is not None:
                batch.append(article)
            if len(batch) >= 500:
                self.keywords.write(_keyword_rows(batch))
                batch = []
        self.keywords.write(_keyword_rows(batch))
        self.store.set_meta("keywords_version", KEYWORDS_VERSION)
        report.add_time("fill_keywords", time.perf_counter() - started)

    def _write_group(
        self,
        article_ids: list[str],
        items: list[VectorItem],
        words: list[KeywordRow],
        stop: threading.Event,
    ) -> float:
        """Runs on the writer thread; touches Chroma only (the SQLite store stays on its own).

        Written in slices, and abandoned between two when `stop` is set: Ctrl-C then waits for
        one slice (a fraction of a second), not a whole group (seconds). The group is not
        marked indexed, so the next run deletes what was written and writes it again.
        """
        started = time.perf_counter()
        # A killed run may have written part of this group already: replace, never duplicate.
        # Slices are written in order, so a group whose first vector is absent has none; the
        # lookup spares a delete by filter per group, which cost more as the collection grew.
        if items and self.vector_index.holds(items[0]):
            self.vector_index.delete_articles(article_ids)
        for start in range(0, len(items), WRITE_SLICE):
            if stop.is_set():
                return time.perf_counter() - started
            self.vector_index.add(items[start : start + WRITE_SLICE])
        # The words too, replacing what a killed run may have committed for these articles.
        self.keywords.write(words, replacing=article_ids)
        return time.perf_counter() - started

    def _finish_write(
        self, write: Future[float], article_ids: list[str], report: IngestReport
    ) -> None:
        started = time.perf_counter()
        report.add_time("vector_write", write.result())
        report.add_time("vector_write_wait", time.perf_counter() - started)
        self.store.mark_indexed(article_ids)


# Vectors per Chroma call when writing a group: small enough that stopping waits little.
WRITE_SLICE = 256

# How far a sentence's vector is pulled toward its headline's. Measured with
# scripts/compare_embedded_units.py (2,293 real articles, 100 questions): hit@1 of the answering
# sentence 0.31 for the bare sentence, 0.41 / 0.47 / 0.45 at weights 0.5 / 0.8 / 1.0, and 0.45
# for embedding "title. sentence" as one text, which costs 1.7x the embedding time.
TITLE_WEIGHT = 0.8


def _keyword_rows(articles: list[Article]) -> list[KeywordRow]:
    from qa.keywords import KeywordRow

    return [
        KeywordRow(
            article_id=article.id,
            sentence_index=sentence.index,
            text=sentence.text,
            published_day=_day_number(article.published),
            outlet=article.outlet,
        )
        for article in articles
        for sentence in article.sentences
    ]


def with_title(sentence_vector: np.ndarray, title_vector: np.ndarray | None) -> np.ndarray:
    """The vector stored for a sentence: its own, nudged toward its article's headline, so
    "He said the talks had failed." is found by a question about the story it belongs to."""
    if title_vector is None:
        return sentence_vector
    mixed = sentence_vector + TITLE_WEIGHT * title_vector
    return np.asarray(mixed / np.linalg.norm(mixed), dtype=np.float32)


_COUNTER = {
    "added": "added",
    "updated": "updated",
    "unchanged": "unchanged",
    "duplicate": "duplicates",
}


def _sniff(data: bytes) -> str:
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if looks_like_feed(head):
        return "feed"
    if head.startswith((b"<!doctype html", b"<html")) or b"<html" in head[:512]:
        return "html"
    if head.startswith((b"{", b"[")):
        return "jsonl" if head.startswith(b"{") and b"}\n{" in data[:65536] else "json"
    return "text"


def _read_html(text: str, *, origin: str, url: str | None) -> RawArticle:
    from qa.ingest.html import read_html

    try:
        return read_html(text, origin=origin, url=url)
    except ValueError as exc:
        raise InputError(origin, str(exc)) from None


def _day_number(published: str | None) -> int | None:
    if not published or len(published) < 10:
        return None
    try:
        return int(published[:10].replace("-", ""))
    except ValueError:
        return None
