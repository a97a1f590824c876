"""The `newsqa` command line: opens library objects, calls them, prints. Nothing else lives here."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from qa.config import Settings, load_settings
from qa.errors import NewsqaError

F = TypeVar("F", bound=Callable[..., Any])

EXIT_SOME_FAILED = 2
EXIT_INTERRUPTED = 130


def index_option(fn: F) -> F:
    return click.option(
        "--index",
        "index_dir",
        type=click.Path(file_okay=False, path_type=Path),
        default=None,
        help="Index folder (default: NEWSQA_INDEX_DIR or ./index).",
    )(fn)


def _settings(index_dir: Path | None) -> Settings:
    return load_settings(index_dir=index_dir)


class _Cli(click.Group):
    """Turns library errors into one-line messages; no traceback reaches the user."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except NewsqaError as exc:
            raise click.ClickException(str(exc)) from None
        except KeyboardInterrupt:
            click.echo(
                "interrupted: what was stored is kept; run the same command again to finish",
                err=True,
            )
            sys.exit(EXIT_INTERRUPTED)


@click.group(cls=_Cli)
@click.version_option(package_name="newsqa")
def main() -> None:
    """newsqa: questions over news articles, answered with cited sentences."""


@main.command()
@click.argument("inputs", nargs=-1)
@click.option("--sample", is_flag=True, help="Also ingest the bundled sample articles.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar or summary; errors only.")
@index_option
def ingest(inputs: tuple[str, ...], sample: bool, quiet: bool, index_dir: Path | None) -> None:
    """Add articles: files, folders, globs, http(s) pages and RSS/Atom feeds."""
    from qa.ingest.pipeline import Ingestor
    from qa.ingest.sources import sample_dir

    specs = list(inputs) + ([str(sample_dir())] if sample else [])
    if not specs:
        raise click.UsageError("give files, folders, URLs or feeds to ingest, or --sample")
    progress = None if quiet else _ProgressBars()
    ingestor = Ingestor(
        _settings(index_dir),
        progress=progress,
        on_error=lambda error: click.echo(f"error: {error}", err=True),
    )
    try:
        report = ingestor.ingest(specs)
    finally:
        if progress is not None:
            progress.close()
    if not quiet:
        click.echo(report.summary())
    if report.failed:
        sys.exit(EXIT_SOME_FAILED)


class _ProgressBars:
    """One tqdm bar per phase, on stderr, shown only on a terminal."""

    def __init__(self) -> None:
        self._bars: dict[str, Any] = {}

    def __call__(self, phase: str, done: int, total: int) -> None:
        from tqdm import tqdm

        bar = self._bars.get(phase)
        if bar is None:
            unit = "input" if phase == "read" else "sentence"
            desc = "reading" if phase == "read" else "embedding"
            bar = tqdm(
                total=total, unit=unit, desc=desc, file=sys.stderr, disable=None, leave=False
            )
            self._bars[phase] = bar
        bar.total = total
        bar.update(done - bar.n)

    def close(self) -> None:
        for bar in self._bars.values():
            bar.close()


@main.command()
@click.argument("question", required=False)
@click.option("--json", "as_json", is_flag=True, help="One JSON object (the stable contract).")
@click.option("--source", "sources", multiple=True, help="Only this outlet (repeatable).")
@click.option("--since", help="Only articles published on or after this date.")
@click.option("--until", help="Only articles published on or before this date.")
@click.option("--k", "shown", type=click.IntRange(1, 100), default=10, show_default=True,
              help="How many retrieved sentences to report.")  # fmt: skip
@click.option("--llm", "mode", flag_value="llm", help="Answer with the configured model.")
@click.option("--extractive", "mode", flag_value="extractive", help="Answer offline, no model.")
@index_option
def ask(
    question: str | None,
    as_json: bool,
    sources: tuple[str, ...],
    since: str | None,
    until: str | None,
    shown: int,
    mode: str | None,
    index_dir: Path | None,
) -> None:
    """Answer QUESTION with cited sentences; without QUESTION, one question per stdin line
    (one JSON object per line out)."""
    from dataclasses import replace

    from qa.assistant import Assistant
    from qa.errors import QuestionError

    assistant = Assistant.from_settings(_settings(index_dir))
    filters = assistant.make_filters(sources=sources, since=since, until=until)
    if question is not None:
        if as_json:
            answer = assistant.ask(question, filters=filters, mode=mode)
        else:
            answer = _stream_to_terminal(assistant.ask_stream(question, filters=filters, mode=mode))
        if answer.fallback_reason:
            click.echo(f"note: {answer.fallback_reason}", err=True)
        answer = replace(answer, retrieved=answer.retrieved[:shown])
        click.echo(json.dumps(answer.to_dict(), ensure_ascii=False) if as_json else _human(answer))
        return
    for line in sys.stdin:
        if not line.strip():
            continue
        try:
            answer = assistant.ask(line.rstrip("\n"), filters=filters, mode=mode)
        except QuestionError as exc:
            click.echo(json.dumps({"question": line.strip()[:200], "error": str(exc)}))
            continue
        answer = replace(answer, retrieved=answer.retrieved[:shown])
        click.echo(json.dumps(answer.to_dict(), ensure_ascii=False), nl=True)
        sys.stdout.flush()


def _stream_to_terminal(events: Any) -> Any:
    """Show a model's answer as it is written (on a terminal, to stderr, so stdout carries only
    the checked answer); return the final Answer."""
    live = sys.stderr.isatty()
    wrote = False
    answer = None
    for event in events:
        if hasattr(event, "citations") and hasattr(event, "abstained"):
            answer = event
        elif live and getattr(event, "text", ""):
            click.echo(event.text, nl=False, err=True)
            wrote = True
    if wrote:
        click.echo("\n" + "-" * 20 + " checked answer " + "-" * 20, err=True)
    return answer


def _human(answer: Any) -> str:
    lines = [answer.text, ""]
    for repair in answer.repairs:
        lines.append(f"checked: {repair.action}: {repair.detail}")
    if answer.repairs:
        lines.append("")
    listed = answer.citations or answer.related
    if answer.abstained and listed:
        lines.append("Related reading:")
    for c in listed:
        date = (c.published or "undated")[:10]
        support = f" (support {c.support:.2f})" if c.support < 1.0 else ""
        lines.append(
            f"[{c.n}] {c.title or '(untitled)'} - {c.source or 'unknown outlet'}, {date}{support}"
        )
        lines.append(f'    "{c.sentence}"')
        if c.also_in:
            lines.append(f"    also in: {', '.join(c.also_in)}")
    return "\n".join(lines).rstrip()


@main.command()
@index_option
def doctor(index_dir: Path | None) -> None:
    """Check the configured language model: reachable, model listed, a one-token reply."""
    from qa.llm import doctor as run_checks

    checks = run_checks(_settings(index_dir))
    for check in checks:
        click.echo(f"{'ok  ' if check.ok else 'FAIL'}  {check.name}: {check.detail}")
    if not all(check.ok for check in checks):
        sys.exit(1)


@main.command()
@index_option
def config(index_dir: Path | None) -> None:
    """Print the effective settings (secrets masked)."""
    for key, value in _settings(index_dir).public_dict().items():
        click.echo(f"{key} = {json.dumps(value)}")


@main.command()
@click.option("--json", "as_json", is_flag=True, help="One JSON object.")
@index_option
def stats(as_json: bool, index_dir: Path | None) -> None:
    """Articles, sentences, outlets, date range and index size."""
    from qa.inspect import collection_stats

    data = collection_stats(_settings(index_dir))
    if as_json:
        click.echo(json.dumps(data, indent=2))
        return
    for key, value in data.items():
        if key == "outlets":
            click.echo("outlets:")
            for name, count in value.items():
                click.echo(f"  {count:6d}  {name}")
        else:
            click.echo(f"{key}: {value}")


@main.command()
@click.argument("article_id")
@click.option("--removed", is_flag=True, help="Also list the boilerplate removed from it.")
@click.option("--json", "as_json", is_flag=True, help="The article as one JSON object.")
@index_option
def show(article_id: str, removed: bool, as_json: bool, index_dir: Path | None) -> None:
    """Print an article with its sentence numbers (an id prefix is enough)."""
    from qa.inspect import find_article, render_article

    article, duplicates = find_article(_settings(index_dir), article_id)
    if as_json:
        data = article.to_dict()
        data["near_duplicates"] = [{"article_id": i, "overlap": s} for i, s in duplicates]
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    click.echo(render_article(article, duplicates, with_removed=removed))


@main.command(name="list")
@click.option("--limit", default=50, show_default=True, help="How many, newest first.")
@index_option
def list_articles(limit: int, index_dir: Path | None) -> None:
    """List articles: id, date, outlet, sentences, title."""
    from qa.store import Store

    store = Store.open(_settings(index_dir).store_path, create=False)
    for row in store.list_articles(limit):
        date = (row["published"] or "")[:10] or "-"
        click.echo(
            f"{row['id']}  {date:10}  {(row['outlet'] or '-')[:20]:20}  "
            f"{row['sentences']:4d}  {row['title'] or '(untitled)'}"
        )
