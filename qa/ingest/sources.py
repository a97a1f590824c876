"""What `newsqa ingest` was given, made concrete: files, directories, globs and URLs become a
list of inputs (or a one-line error for each that does not exist)."""

from __future__ import annotations

import glob
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from qa.errors import InputError

KIND_BY_SUFFIX = {
    ".txt": "text", ".text": "text", ".md": "markdown", ".markdown": "markdown",
    ".html": "html", ".htm": "html", ".json": "json", ".jsonl": "jsonl", ".ndjson": "jsonl",
    ".rss": "feed", ".atom": "feed", ".xml": "sniff",
}  # fmt: skip


@dataclass(frozen=True)
class Input:
    """One file or URL to read. `origin` is as given (or as a directory walk found it); `key`
    is canonical (absolute path or URL) and identifies the input across runs; `path` is the file
    to open (None for a URL).

    A file name whose bytes are not UTF-8 reaches Python with a lone surrogate per bad byte,
    which SQLite cannot store and a terminal cannot print: `origin` shows each as U+FFFD, and
    `key` spells it as `\\xff`, so two such names stay two keys; only `path` keeps the bytes.
    """

    origin: str
    key: str
    is_url: bool = False
    path: str | None = None

    @classmethod
    def file(cls, origin: str, path: str) -> Input:
        return cls(printable(origin), _storable(path), path=path)

    @property
    def kind(self) -> str:
        if self.is_url:
            return "sniff"
        return KIND_BY_SUFFIX.get(Path(self.origin).suffix.lower(), "sniff")


def is_url(spec: str) -> bool:
    return spec.startswith(("http://", "https://"))


def expand_inputs(specs: list[str]) -> Iterator[Input | InputError]:
    """Each spec in order: a URL, a file, a directory (walked, supported files only) or a glob."""
    seen: set[str] = set()
    for spec in specs:
        for found in _expand(spec):
            if isinstance(found, Input):
                if found.key in seen:
                    continue
                seen.add(found.key)
            yield found


def _expand(spec: str) -> Iterator[Input | InputError]:
    if is_url(spec):
        yield Input(printable(spec), printable(spec), is_url=True)
        return
    path = Path(spec).expanduser()
    if path.is_file():
        yield Input.file(spec, str(path.resolve()))
    elif path.is_dir():
        yield from _walk(path, spec)
    elif glob.has_magic(spec):
        matches = sorted(glob.glob(spec, recursive=True))
        if not matches:
            yield InputError(printable(spec), "no file matches this pattern")
        for match in matches:
            yield from _expand(match) if Path(match).is_dir() else [Input.file(match, _abs(match))]
    elif path.exists():
        yield InputError(printable(spec), "not a regular file or directory")
    else:
        yield InputError(printable(spec), "no such file or directory")


# A folder's own documentation is not news: README.md, LICENSE.txt and the like are skipped
# when walking a folder (named explicitly, such a file is read like any other).
_NOT_ARTICLES = ("readme", "license", "licence", "changelog", "sources", "contributing")


def _walk(directory: Path, spec: str) -> Iterator[Input | InputError]:
    # Sorted for a stable order; hidden files and folders (.git, .DS_Store) are not articles.
    # os.walk, not Path.rglob: rglob skips a folder it cannot read without a word, and an
    # unreadable folder must be reported, not read as empty.
    unreadable: list[OSError] = []
    found: list[Path] = []
    for top, folders, files in os.walk(directory, onerror=unreadable.append):
        folders[:] = [f for f in folders if not f.startswith(".")]
        found.extend(Path(top) / name for name in files if not name.startswith("."))
    for error in unreadable:
        where = Path(error.filename) if error.filename else directory
        shown = Path(spec) / where.relative_to(directory) if where != directory else Path(spec)
        yield InputError(printable(str(shown)), f"cannot read this folder: {error.strerror}")
    for path in sorted(found):
        relative = path.relative_to(directory)
        if not path.is_file() or path.stem.lower() in _NOT_ARTICLES:
            continue
        if path.suffix.lower() in KIND_BY_SUFFIX:
            yield Input.file(str(Path(spec) / relative), str(path.resolve()))


def _abs(path: str) -> str:
    return str(Path(path).resolve())


_SURROGATE = re.compile("[\ud800-\udfff]")


def printable(text: str) -> str:
    """`text` with every lone surrogate (an undecodable byte of a file name) as U+FFFD."""
    return _SURROGATE.sub("\ufffd", text)


def _storable(path: str) -> str:
    """A file's key: its name, with each byte that is not UTF-8 written as `\\xff`."""
    if not _SURROGATE.search(path):
        return path
    try:
        return os.fsencode(path).decode("utf-8", "backslashreplace")
    except UnicodeError:  # a surrogate that is no escaped byte (the API, not a file name)
        return printable(path)


def sample_dir() -> Path:
    """The bundled sample articles (package data of `qa`)."""
    from importlib.resources import files

    return Path(str(files("qa") / "samples"))
