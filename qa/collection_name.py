"""What a collection may be called, and the default one: names are lower case, 1-40 letters,
digits, "-" or "_". Its own module, with no dependency, because the store and the access
rules both need it and neither may import the other.
"""

from __future__ import annotations

import re

from qa.errors import CollectionError

DEFAULT_COLLECTION = "news"
_NAME = re.compile(r"[a-z0-9][a-z0-9_-]{0,39}")


def collection_name(name: str) -> str:
    """The name as stored (lower case), or CollectionError saying what a name may be."""
    folded = name.strip().casefold()
    if not _NAME.fullmatch(folded):
        raise CollectionError(
            f"collection name {name!r}: use 1-40 letters, digits, '-' or '_', starting with a "
            "letter or digit"
        )
    return folded


__all__ = ["DEFAULT_COLLECTION", "collection_name"]
