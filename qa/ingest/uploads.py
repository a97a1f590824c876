"""Articles added from the page: uploaded files saved under the index, then every upload, page
URL and feed URL ingested one by one, so each gets its own result line.

    saved = save_uploads(settings.index_dir, [("story.html", data)])
    for result in ingest_items(ingestor, [*map(str, saved), "https://example.org/feed.xml"]):
        print(result.item, result.ok, result.message)
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from qa.errors import NewsqaError
from qa.ingest.sources import is_url
from qa.private import FILE_MODE, private_file, private_folder

if TYPE_CHECKING:
    from qa.ingest.pipeline import Ingestor

UPLOADS = "uploads"


@dataclass(frozen=True)
class ItemResult:
    item: str  # the file name or URL as the reader gave it
    ok: bool
    message: str  # what was added, or the one-line error


def save_uploads(
    index_dir: Path, files: Sequence[tuple[str, bytes]], *, owner: str | None = None
) -> list[Path]:
    """Write uploaded files under `index_dir/uploads/`, keeping their names (so uploading a new
    version of a file updates its article). Names are reduced to safe characters. With `owner`
    (the page's reader), in a folder of that reader's own: another reader's file of the same
    name is another article, never replaced by this one."""
    folder = index_dir / UPLOADS
    if owner:
        # A digest, not the reader id itself: that id is the reader's only credential.
        folder = folder / hashlib.blake2b(owner.encode(), digest_size=8).hexdigest()
    private_folder(folder)
    saved = []
    for name, data in files:
        safe = re.sub(r"[^\w.\-]+", "_", Path(name).name).strip("._") or "upload"
        if not Path(safe).suffix:
            safe += ".txt"
        target = folder / safe
        if not target.exists() or _digest(target.read_bytes()) != _digest(data):
            partial = target.with_suffix(target.suffix + ".partial")
            # Owner-only before a byte is written: another visitor's upload is nobody's
            # business on this machine either.
            partial.touch(mode=FILE_MODE, exist_ok=True)
            private_file(partial)
            partial.write_bytes(data)
            partial.replace(target)
        saved.append(target)
    return saved


def split_urls(text: str) -> list[str]:
    """URLs pasted one per line (or separated by spaces); anything else is kept so that the
    reader reports it as not a URL rather than dropping it silently."""
    return [part for part in re.split(r"\s+", text.strip()) if part]


def page_urls(items: Sequence[str]) -> tuple[list[str], list[ItemResult]]:
    """What the page's URL box may fetch: http(s) URLs only. A path or a word typed there would
    be read from the server's own disk; files come through the upload widget."""
    urls, refused = [], []
    for item in items:
        if is_url(item):
            urls.append(item)
        else:
            refused.append(ItemResult(item[:200], False, "not an http(s) URL: add files with the "
                                      "upload widget"))  # fmt: skip
    return urls, refused


def stage_label(item: str, number: int, items: int, phase: str, done: int, total: int) -> str:
    """What the page says while item `number` (0-based) of `items` is added: its stage and
    counts, "ferry.txt (1 of 2): embedding 120 of 400 sentences"."""
    where = f"{item} ({number + 1} of {items})" if items > 1 else item
    if phase == "embed":
        return f"{where}: embedding {done:,} of {total:,} sentences"
    if phase == "annotate":
        return f"{where}: reading names and figures ({done:,} sentences)"
    return f"{where}: reading and cleaning"


def ingest_items(
    ingestor: Ingestor,
    items: Sequence[str],
    *,
    names: Sequence[str] | None = None,
    progress: Callable[[int, int, str], None] | None = None,
    stages: Callable[[str], None] | None = None,
    collection: str | None = None,
) -> Iterator[ItemResult]:
    """Ingest each item on its own, into `collection` when given; a failing item never stops
    the others. `progress` hears (item number, items, name) before each item, `stages` each
    stage's label (`stage_label`)."""
    for number, item in enumerate(items):
        shown = names[number] if names else item
        if progress is not None:
            progress(number, len(items), shown)

        def stage(phase: str, done: int, total: int, shown: str = shown, n: int = number) -> None:
            if stages is not None:
                stages(stage_label(shown, n, len(items), phase, done, total))

        stage("read", 0, 0)
        try:
            report = ingestor.ingest([item], progress=stage, collection=collection)
        except NewsqaError as exc:  # the store or Chroma itself failed: say so, go on
            yield ItemResult(shown, False, str(exc))
            continue
        if report.failed:
            yield ItemResult(shown, False, report.failed[0][1])
        else:
            yield ItemResult(shown, True, report.summary())
    if progress is not None:
        progress(len(items), len(items), "")


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
