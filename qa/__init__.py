"""newsqa: questions over news articles, answered with cited sentences.

    from qa import Assistant, Ingestor, load_settings, open_library
    report = Ingestor(load_settings()).ingest(["articles/"])
    answer = Assistant(open_library(load_settings())).ask("How many soldiers died?")

The heavy parts (the assistant, the ingest pipeline, the store) are imported on first use, so
`import qa` stays cheap.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from qa.config import Settings, load_settings
from qa.errors import (
    ConfigError,
    IndexMismatchError,
    InputError,
    NewsqaError,
    QuestionError,
    StoreError,
    VectorIndexError,
)
from qa.types import (
    Answer,
    Article,
    Citation,
    CleanedText,
    Filters,
    Outcome,
    RawArticle,
    RemovedText,
    Retrieved,
    Sentence,
)

if TYPE_CHECKING:
    from qa.assistant import Assistant
    from qa.ingest.pipeline import Ingestor, IngestReport
    from qa.library import Library, open_library
    from qa.store import Store

_LAZY = {
    "Assistant": "qa.assistant",
    "IngestReport": "qa.ingest.pipeline",
    "Ingestor": "qa.ingest.pipeline",
    "Library": "qa.library",
    "open_library": "qa.library",
    "Store": "qa.store",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'qa' has no attribute {name!r}")


__all__ = [
    "Answer",
    "Article",
    "Assistant",
    "Citation",
    "CleanedText",
    "ConfigError",
    "Filters",
    "IndexMismatchError",
    "IngestReport",
    "Ingestor",
    "InputError",
    "Library",
    "NewsqaError",
    "Outcome",
    "QuestionError",
    "RawArticle",
    "RemovedText",
    "Retrieved",
    "Sentence",
    "Settings",
    "Store",
    "StoreError",
    "VectorIndexError",
    "load_settings",
    "open_library",
]
