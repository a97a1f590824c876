"""The dense index: sentence vectors in Chroma, through llama-index's `ChromaVectorStore`.

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

import functools
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlparse

import numpy as np

from qa.errors import VectorIndexError

if TYPE_CHECKING:
    from llama_index.vector_stores.chroma import ChromaVectorStore

    from qa.config import ChromaConfig
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

    @functools.cached_property
    def _store(self) -> ChromaVectorStore:
        # Imported on first write only: llama_index.core takes 1.2 s to import, more than half
        # of a cold `newsqa ask`, which reads through the same collection directly.
        from llama_index.vector_stores.chroma import ChromaVectorStore

        return ChromaVectorStore(chroma_collection=self._collection)

    def count(self) -> int:
        return int(self._call("count", self._collection.count))

    def add(self, items: Sequence[VectorItem]) -> None:
        from llama_index.core.schema import TextNode

        nodes = []
        for item in items:
            metadata: dict[str, Any] = {
                "article_id": item.article_id,
                "sentence": item.sentence_index,
            }
            if item.published_day is not None:
                metadata["published_day"] = item.published_day
            if item.outlet:
                metadata["outlet"] = item.outlet
            # No text and no relationships: the sentence lives in SQLite, and Chroma indexes
            # every document for full-text search (a third of its write time, measured); deletes
            # go by our own `article_id` field.
            node = TextNode(id_=item.node_id, text="", embedding=item.vector.tolist(),
                            metadata=metadata)  # fmt: skip
            nodes.append(node)
        self._call("add", self._store.add, nodes)

    def delete_articles(self, article_ids: Sequence[str]) -> None:
        # One call for many articles (ChromaVectorStore.delete takes a single ref_doc_id).
        if article_ids:
            self._call(
                "delete", self._collection.delete, where={"article_id": {"$in": list(article_ids)}}
            )

    def query(
        self, vector: np.ndarray, *, k: int = 20, filters: Filters | None = None
    ) -> list[tuple[str, int, float]]:
        """Nearest sentences as (article_id, sentence index, cosine similarity), best first,
        among the articles `filters` allow."""
        where = _chroma_where(filters)
        kwargs: dict[str, Any] = {"where": where} if where else {}
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
            (str(meta["article_id"]), int(meta["sentence"]), 1.0 - float(distance))
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


def _client(config: ChromaConfig, chromadb: Any) -> tuple[Any, str]:
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
    if not config.url:
        # Absolute: chromadb caches clients per path string, and "index/chroma" from two working
        # directories is two different stores.
        path = config.path.resolve()
        try:
            path.mkdir(parents=True, exist_ok=True)
            return chromadb.PersistentClient(path=str(path), settings=chroma_settings), str(path)
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


def _chroma_where(filters: Filters | None) -> dict[str, Any] | None:
    """The Chroma metadata filter for our Filters (dates as YYYYMMDD numbers)."""
    if not filters:
        return None
    clauses: list[dict[str, Any]] = []
    if filters.sources:
        clauses.append({"outlet": {"$in": list(filters.sources)}})
    if filters.article_ids:
        clauses.append({"article_id": {"$in": list(filters.article_ids)}})
    if filters.since:
        clauses.append({"published_day": {"$gte": int(filters.since[:10].replace("-", ""))}})
    if filters.until:
        clauses.append({"published_day": {"$lte": int(filters.until[:10].replace("-", ""))}})
    return clauses[0] if len(clauses) == 1 else {"$and": clauses}
