"""newsqa: questions over news articles, answered with cited sentences.

from qa import Ingestor, load_settings
report = Ingestor(load_settings()).ingest(["articles/"])
"""

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
from qa.ingest.pipeline import Ingestor, IngestReport
from qa.store import Store
from qa.types import (
    Answer,
    Article,
    Citation,
    CleanedText,
    Filters,
    RawArticle,
    RemovedText,
    Retrieved,
    Sentence,
)

__all__ = [
    "Answer",
    "Article",
    "Assistant",
    "Citation",
    "Filters",
    "QuestionError",
    "Retrieved",
    "CleanedText",
    "ConfigError",
    "IndexMismatchError",
    "IngestReport",
    "Ingestor",
    "InputError",
    "NewsqaError",
    "RawArticle",
    "RemovedText",
    "Sentence",
    "Settings",
    "Store",
    "StoreError",
    "VectorIndexError",
    "load_settings",
]
