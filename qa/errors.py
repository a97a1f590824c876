"""The one exception tree of newsqa. Every message names the input and the next step.

NewsqaError
├── ConfigError        a setting or the config file is wrong
├── InputError         one ingest input cannot be read (the batch goes on without it)
├── QuestionError      a question or briefing topic cannot be asked as given (empty, too long,
│                      not UTF-8, an unknown outlet, a date that is not one)
├── CollectionError    a collection name that is not one, or one the reader may not use
├── StoreError         the on-disk store is missing, locked, or from another version
│   ├── IndexMismatchError   the index was built with another embedding model
│   └── WriteError           a file of the index cannot be written (disk full, read-only)
├── VectorIndexError   the Chroma index (embedded or server) cannot be reached or written
├── LLMError           the language model server failed; the answer falls back to extractive
└── FixtureError       (in qa.fixtures) a fixture file cannot be used; names the line
"""

from __future__ import annotations


class NewsqaError(Exception):
    """Root of every error newsqa raises on purpose; the message is one line for a person."""


class ConfigError(NewsqaError):
    pass


class InputError(NewsqaError):
    """An ingest input that cannot be read; `origin` is the path or URL as given."""

    def __init__(self, origin: str, problem: str) -> None:
        super().__init__(f"{origin}: {problem}")
        self.origin = origin
        self.problem = problem


class QuestionError(NewsqaError):
    pass


class CollectionError(NewsqaError):
    """A collection name that is not one, or one the reader may not read or edit."""


class StoreError(NewsqaError):
    pass


class IndexMismatchError(StoreError):
    pass


class WriteError(StoreError):
    """A file of the index could not be written; `path` is that file."""

    def __init__(self, path: str, problem: str) -> None:
        super().__init__(f"cannot write {path}: {problem}")
        self.path = path
        self.problem = problem


class VectorIndexError(NewsqaError):
    pass


class LLMError(NewsqaError):
    """The model server could not give a usable reply. `kind` names the failure for callers
    that act on it (e.g. `context` means: retry with less evidence)."""

    def __init__(self, message: str, kind: str = "error") -> None:
        super().__init__(message)
        self.kind = kind
