"""Who may read and edit which collections, and filters read as the articles they allow.

A collection is a named set of articles (a desk, a story, an archive; `qa.store.sqlite.
collections`). Settings may restrict one (`[collections.<name>]` with `readers` and `editors`,
e-mails or subject ids, "*" for every signed-in reader); a collection the settings do not name
is read by everyone and edited by the page's editors. Admins read and edit every collection.
The command line runs as the index's owner and is not restricted.

    allowed = readable(settings.collections, names, role, [n for n, _ in store.collections()])
    answer = assistant.ask(question, filters=Filters(collections=tuple(allowed)))
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace
from typing import Protocol

from pydantic import BaseModel, ConfigDict

from qa.collection_name import DEFAULT_COLLECTION, collection_name
from qa.serving import Role
from qa.types import Filters


class _Members(Protocol):
    """What `within` needs of the store (`qa.store.CollectionStore`), named here: the store
    package imports the collection names, so this module must not import it."""

    def collection_members(self, names: Iterable[str]) -> set[str]: ...


EVERYONE = "*"
# An article id no article has (ids are hex): a filter on it allows nothing, so a collection
# with no articles answers "the articles don't say", never from every article.
NO_ARTICLE = "-"


class CollectionAccess(BaseModel):
    """Who may read and who may edit one collection."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    readers: tuple[str, ...] = (EVERYONE,)
    editors: tuple[str, ...] = ()


def _folded(names: Iterable[object]) -> set[str]:
    return {n.strip().casefold() for n in names if isinstance(n, str) and n.strip()}


def readable(
    access: Mapping[str, CollectionAccess],
    names: Iterable[object],
    role: Role,
    collections: Iterable[str],
) -> list[str]:
    """Of `collections`, those the reader known by `names` (e-mail, subject id) may read."""
    return _allowed(
        access, names, collections,
        lambda rule, mine: role is Role.ADMIN or rule is None or EVERYONE in rule.readers
        or bool(mine & _folded((*rule.readers, *rule.editors))),
    )  # fmt: skip


def editable(
    access: Mapping[str, CollectionAccess],
    names: Iterable[object],
    role: Role,
    collections: Iterable[str],
) -> list[str]:
    """Of `collections`, those the reader may add articles to and remove them from: every
    one for an admin, the unrestricted ones for an editor, and those naming them as editor."""
    return _allowed(
        access, names, collections,
        lambda rule, mine: role is Role.ADMIN or (rule is None and role is Role.EDITOR)
        or (rule is not None and bool(mine & _folded(rule.editors))),
    )  # fmt: skip


def _allowed(
    access: Mapping[str, CollectionAccess],
    names: Iterable[object],
    collections: Iterable[str],
    allows: Callable[[CollectionAccess | None, set[str]], bool],
) -> list[str]:
    mine = _folded(names)
    return [name for name in collections if allows(access.get(name), mine)]


def within(store: _Members, filters: Filters) -> Filters:
    """The filters with their collections read as the articles those hold (retrieval, the
    vector index and the keyword index filter by article); the same filters without any."""
    if not filters.collections:
        return filters
    members = store.collection_members(filters.collections)
    if filters.article_ids:
        members &= set(filters.article_ids)
    return replace(filters, article_ids=tuple(sorted(members)) or (NO_ARTICLE,), collections=())


__all__ = [
    "DEFAULT_COLLECTION",
    "EVERYONE",
    "NO_ARTICLE",
    "CollectionAccess",
    "collection_name",
    "editable",
    "readable",
    "within",
]
