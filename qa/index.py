"""The dense index: sentence vectors in a Chroma collection, with only the fields filters use.

This is the only module that knows Chroma. By default Chroma runs embedded (`PersistentClient`
under the index folder); with `chroma_url` set it talks to a Chroma server
(`chroma run --path DIR --host 127.0.0.1 --port 8000`). Vectors are always computed by our
embedder and passed in: given bare documents Chroma would fetch a model of its own.

    index = VectorIndex.open(settings.chroma)
    hits = index.query(vector, k=20)            # [(article_id, sentence_index, cosine)]

Our `Filters` become Chroma's `where` here and nowhere else (`_chroma_where`), as the SQLite
store translates them to SQL inside its search module.
"""

from __future__ import annotations

import logging
import math
import os
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlparse

import numpy as np

from qa.errors import VectorIndexError
from qa.private import private_folder, temporary_folder

if TYPE_CHECKING:
    from qa.config import ChromaConfig
    from qa.store.protocols import FilterScope
    from qa.types import Filters

# Chroma logs an "Add of existing embedding ID" warning per id on a retried batch; the retry is
# the point of our crash recovery, so it is noise here.
logging.getLogger("chromadb").setLevel(logging.ERROR)


@dataclass(frozen=True)
class VectorItem:
    """One vector to store: a sentence's address, its vector and filterable metadata."""

    article_id: str
    sentence_index: int
    vector: np.ndarray
    published_day: int | None = None  # YYYYMMDD, so Chroma can range-filter dates
    outlet: str | None = None

    @property
    def node_id(self) -> str:
        return f"{self.article_id}:{self.sentence_index}"


class VectorIndex:
    def __init__(self, collection: Any, where: str) -> None:
        self._collection = collection
        self.where = where

    @classmethod
    def open(cls, config: ChromaConfig) -> VectorIndex:
        """The collection named in `config`, created when missing."""
        import chromadb

        client, where = _client(config, chromadb)
        try:
            collection = client.get_or_create_collection(
                config.collection,
                embedding_function=None,
                metadata={"hnsw:space": "cosine"},
            )
        except Exception as exc:
            raise VectorIndexError(f"Chroma at {where}: {_first_line(exc)}") from None
        return cls(collection, where)

    def count(self) -> int:
        return int(self._call("count", self._collection.count))

    def add(self, items: Sequence[VectorItem]) -> None:
        """Writes the vectors with their filter fields and nothing else.

        Straight to the collection, not through llama-index's `ChromaVectorStore.add`: that one
        stores with every vector a JSON copy of its node (`_node_content`, plus `doc_id`,
        `document_id`, `ref_doc_id` and an empty document), 2.2 KB of the 3.9 KB a vector took
        on disk, which newsqa never reads back (the sentence lives in SQLite). Reads and
        deletes already went to the collection directly.
        """
        if not items:
            return
        metadatas: list[dict[str, Any]] = []
        for item in items:
            metadata: dict[str, Any] = {
                "article_id": item.article_id,
                "sentence": item.sentence_index,
            }
            if item.published_day is not None:
                metadata["published_day"] = item.published_day
            if item.outlet:
                metadata["outlet"] = item.outlet
            metadatas.append(metadata)
        self._call(
            "add",
            self._collection.add,
            ids=[item.node_id for item in items],
            embeddings=np.stack([item.vector for item in items]).astype(np.float32),
            metadatas=metadatas,
        )

    def holds(self, item: VectorItem) -> bool:
        """Whether the vector of `item`'s sentence is stored (one lookup by id)."""
        found = self._call("get", self._collection.get, ids=[item.node_id], include=[])
        return bool(found["ids"])

    def delete_articles(self, article_ids: Sequence[str]) -> None:
        # One call for many articles (ChromaVectorStore.delete takes a single ref_doc_id).
        if article_ids:
            self._call(
                "delete", self._collection.delete, where={"article_id": {"$in": list(article_ids)}}
            )

    def query(
        self,
        vector: np.ndarray,
        *,
        k: int = 20,
        filters: Filters | None = None,
        scope: FilterScope | None = None,
    ) -> list[tuple[str, int, float]]:
        """Nearest sentences as (article_id, sentence index, cosine similarity), best first,
        among the articles `filters` allow. `scope` (the store) says how much they allow and
        which sentences, so that each filter takes the cheapest of Chroma's ways to apply it."""
        where = _chroma_where(filters)
        if not where or not filters or scope is None:
            return [hit for hit, _ in self._nearest(vector, k, where)]
        # Chroma's own `where` filters before its graph search, at a cost that grows with the
        # collection: at a million sentences 0.9-1.4 s for a date range, against 60 ms for the
        # 2,000 nearest unfiltered, 7-75 ms to read up to 3,000 vectors by id, and 30-100 ms
        # for a search among 3,000-85,000 ids (CHANGELOG, "filters at a million sentences").
        share = scope.filter_share(filters)
        if share * WIDEST >= 2 * k:
            # Twice the expected need, so that few searches come up short.
            wide = min(WIDEST, max(k, math.ceil(2 * k / max(share, 1e-9))))
            nearest = self._nearest(vector, wide, None)
            hits = _allowed_hits(nearest, filters)
            if len(hits) >= k:
                return hits[:k]
        allowed = scope.allowed_sentences(filters, limit=SEARCH_AMONG_UP_TO)
        if allowed is None and len(filters.article_ids) > WHERE_IDS_UP_TO:
            # A collection of tens of thousands of articles: Chroma's `where` cannot take so
            # many ids (SQLite's limit on bound variables). They allow over SEARCH_AMONG_UP_TO
            # sentences, so a search far wider than the need, filtered here, finds them.
            return _allowed_hits(self._nearest(vector, WIDEST_AMONG_MANY, None), filters)[:k]
        if allowed is None:
            return [hit for hit, _ in self._nearest(vector, k, where)]
        if len(allowed) <= EXACT_UP_TO:
            return self._exact(vector, k, allowed)
        return [hit for hit, _ in self._nearest(vector, k, None, ids=allowed)]

    def _exact(
        self, vector: np.ndarray, k: int, keys: Sequence[tuple[str, int]]
    ) -> list[tuple[str, int, float]]:
        """The k nearest of a few sentences, compared one by one as Chroma's cosine space does."""
        stored = self.vectors(keys)
        if not stored:
            return []
        addresses = list(stored)
        matrix = np.stack([stored[key] for key in addresses])
        query = np.asarray(vector, dtype=np.float32)
        norms = np.linalg.norm(matrix, axis=1) * max(float(np.linalg.norm(query)), 1e-12)
        cosines = (matrix @ query) / np.maximum(norms, 1e-12)
        best = np.argsort(-cosines, kind="stable")[:k]
        return [(*addresses[row], float(cosines[row])) for row in best]

    def _nearest(
        self,
        vector: np.ndarray,
        k: int,
        where: dict[str, Any] | None,
        *,
        ids: Sequence[tuple[str, int]] | None = None,
    ) -> list[tuple[tuple[str, int, float], dict[str, Any]]]:
        kwargs: dict[str, Any] = {"where": where} if where else {}
        if ids is not None:
            kwargs["ids"] = [f"{article_id}:{index}" for article_id, index in ids]
        found = self._call(
            "query",
            self._collection.query,
            query_embeddings=[vector.tolist()],
            n_results=k,
            include=["metadatas", "distances"],
            **kwargs,
        )
        return [
            # cosine space: distance = 1 - cosine
            ((str(meta["article_id"]), int(meta["sentence"]), 1.0 - float(distance)), meta)
            for meta, distance in zip(found["metadatas"][0], found["distances"][0], strict=True)
        ]

    def vectors(self, keys: Sequence[tuple[str, int]]) -> dict[tuple[str, int], np.ndarray]:
        """Stored vectors of sentences by address; addresses not in the index are left out."""
        if not keys:
            return {}
        ids = [f"{article_id}:{index}" for article_id, index in dict.fromkeys(keys)]
        found = self._call("get", self._collection.get, ids=ids, include=["embeddings"])
        out: dict[tuple[str, int], np.ndarray] = {}
        for node_id, vector in zip(found["ids"], found["embeddings"], strict=True):
            article_id, _, index = node_id.rpartition(":")
            out[(article_id, int(index))] = np.asarray(vector, dtype=np.float32)
        return out

    def _call(self, what: str, fn: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except VectorIndexError:
            raise
        except Exception as exc:
            raise VectorIndexError(
                f"Chroma {what} failed at {self.where}: {_first_line(exc)}"
            ) from None


_COPIES: dict[str, Path] = {}  # one copy per read-only folder for the life of the process


def _writable_copy(path: Path) -> Path:
    """A private copy of a read-only Chroma folder, removed when the process ends: embedded
    Chroma writes to its own files even to read (a read-only index served as it is; for a
    large one, a Chroma server reads it without a copy)."""
    if str(path) in _COPIES:
        return _COPIES[str(path)]
    copy = temporary_folder("newsqa-chroma-")
    shutil.copytree(path, copy, dirs_exist_ok=True)
    for folder, _, files in os.walk(copy):  # the copy keeps the read-only modes
        os.chmod(folder, 0o700)
        for name in files:
            os.chmod(os.path.join(folder, name), 0o600)
    _COPIES[str(path)] = copy
    return copy


def _client(config: ChromaConfig, chromadb: Any) -> tuple[Any, str]:
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
    if not config.url:
        # Absolute: chromadb caches clients per path string, and "index/chroma" from two working
        # directories is two different stores.
        path = config.path.resolve()
        try:
            where = str(path)
            if path.is_dir() and not os.access(path, os.W_OK):
                path = _writable_copy(path)
            else:
                private_folder(path)
            return chromadb.PersistentClient(path=str(path), settings=chroma_settings), where
        except Exception as exc:
            raise VectorIndexError(f"cannot open Chroma at {path}: {_first_line(exc)}") from None
    url = urlparse(config.url)
    if url.scheme not in ("http", "https") or not url.hostname:
        raise VectorIndexError(
            f"NEWSQA_CHROMA_URL={config.url!r} is not an http(s) URL, e.g. http://127.0.0.1:8000"
        )
    try:
        client = chromadb.HttpClient(
            host=url.hostname,
            port=url.port or (443 if url.scheme == "https" else 8000),
            ssl=url.scheme == "https",
            settings=chroma_settings,
        )
        client.heartbeat()
    except Exception as exc:
        raise VectorIndexError(
            f"cannot reach the Chroma server at {config.url} ({_first_line(exc)}): "
            "start it with 'chroma run --path DIR --host 127.0.0.1 --port 8000' "
            "or unset NEWSQA_CHROMA_URL"
        ) from None
    return client, config.url


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text.splitlines()[0][:300]


# The widest unfiltered search a filter is applied to (60 ms at a million sentences).
WIDEST = 2000
# Allowed sentences up to this many are compared one by one (7-75 ms at a million sentences);
# more, up to the next limit, are searched among by id (30-100 ms), where a search among a few
# hundred ids took 0.3-0.5 s. Past that, Chroma's `where`.
EXACT_UP_TO = 3000
SEARCH_AMONG_UP_TO = 100_000
# Chroma's `where` on more article ids than this fails (SQLite's limit on bound variables is
# 32,766); then the nearest WIDEST_AMONG_MANY unfiltered, filtered here.
WHERE_IDS_UP_TO = 10_000
WIDEST_AMONG_MANY = 20_000


def _allowed_hits(
    nearest: list[tuple[tuple[str, int, float], dict[str, Any]]], filters: Filters
) -> list[tuple[str, int, float]]:
    filters.check_resolved()
    articles = frozenset(filters.article_ids)  # a collection's thousands: one set, not a scan
    return [hit for hit, meta in nearest if _allows(meta, filters, articles)]


def _allows(meta: dict[str, Any], filters: Filters, articles: frozenset[str]) -> bool:
    """What `_chroma_where(filters)` keeps, decided on one vector's metadata (of filters
    `_allowed_hits` checked are resolved)."""
    if filters.sources and meta.get("outlet") not in filters.sources:
        return False
    if articles and meta.get("article_id") not in articles:
        return False
    day = meta.get("published_day")
    if filters.since and (day is None or day < _day(filters.since)):
        return False
    return not (filters.until and (day is None or day > _day(filters.until)))


def _day(iso: str) -> int:
    return int(iso[:10].replace("-", ""))


def _chroma_where(filters: Filters | None) -> dict[str, Any] | None:
    """The Chroma metadata filter for our Filters (dates as YYYYMMDD numbers)."""
    if not filters:
        return None
    filters.check_resolved()
    clauses: list[dict[str, Any]] = []
    if filters.sources:
        clauses.append({"outlet": {"$in": list(filters.sources)}})
    if filters.article_ids:
        clauses.append({"article_id": {"$in": list(filters.article_ids)}})
    if filters.since:
        clauses.append({"published_day": {"$gte": _day(filters.since)}})
    if filters.until:
        clauses.append({"published_day": {"$lte": _day(filters.until)}})
    return clauses[0] if len(clauses) == 1 else {"$and": clauses}
