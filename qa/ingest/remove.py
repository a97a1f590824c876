"""Removing articles on request: from the store, then their vectors and keyword entries, then
the uploaded files that held nothing else.

    removal = remove_articles(settings, ["3f2a", "b81c0e7d"])   # ids or unique prefixes

The store's transaction comes first: once it commits, no sentence of a removed article can be
cited (answers read sentences from the store), even if the vector deletes that follow are cut
off; those stay queued and the next ingest or removal finishes them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from qa.errors import NewsqaError
from qa.ingest.uploads import UPLOADS

if TYPE_CHECKING:
    from qa.config import Settings


@dataclass(frozen=True)
class Removal:
    """What a removal did: the articles removed and the upload files deleted with them."""

    article_ids: tuple[str, ...]
    uploads: tuple[str, ...]
    taken_out: tuple[str, ...] = ()  # taken out of the collection, kept for the others


def remove_articles(
    settings: Settings, ids: Sequence[str], *, collection: str | None = None
) -> Removal:
    """Remove the articles named by id or unique prefix; all or nothing: an unknown or
    ambiguous id raises NewsqaError before anything is removed. With `collection`, take them
    out of it only: those left in no other collection are removed."""
    from qa.ingest.pipeline import Ingestor
    from qa.inspect import resolve_article_id
    from qa.store import Store

    store = Store.open(settings.store_path, create=False)
    try:
        try:
            found = [resolve_article_id(store, given, settings.index_dir) for given in ids]
        except NewsqaError as exc:
            raise NewsqaError(f"{exc}; nothing was removed") from None
        taken_out: list[str] = []
        if collection is None:
            removed, emptied = list(dict.fromkeys(found)), store.remove_articles(found)
        else:
            taken_out, removed, emptied = store.take_out_of_collection(collection, found)
    finally:
        store.close()
    Ingestor(settings, annotate=False, prepare_query_model=False).drop_deleted()
    return Removal(tuple(removed), tuple(_delete_uploads(settings, emptied)), tuple(taken_out))


def _delete_uploads(settings: Settings, containers: Sequence[str]) -> list[str]:
    """The page's uploads among `containers` (files that now hold no article), deleted."""
    folder = (settings.index_dir / UPLOADS).resolve()
    deleted = []
    for container in containers:
        path = Path(container)
        if folder in path.resolve().parents and path.is_file():
            path.unlink()
            deleted.append(path.name)
    return deleted
