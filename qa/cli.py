"""The `newsqa` command line: opens library objects, calls them, prints. Nothing else lives here."""

from __future__ import annotations

import io
import json
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from qa.config import Settings, load_settings
from qa.errors import NewsqaError
from qa.escape import terminal_safe

if TYPE_CHECKING:
    from qa.types import Mode

F = TypeVar("F", bound=Callable[..., Any])

EXIT_SOME_FAILED = 3  # distinct from click's 2, which means the command line itself was wrong
EXIT_INTERRUPTED = 130


def echo(message: str = "", *, nl: bool = True, err: bool = False) -> None:
    """`click.echo` for everything the CLI prints: article titles and text may carry control
    characters (BEL, ESC sequences, U+202E), shown as `\\uXXXX` escapes instead of reaching the
    terminal raw. JSON stays valid: that is JSON's own escape."""
    click.echo(terminal_safe(message), nl=nl, err=err)


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
            echo(
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
@click.option("--collection", help="Put what is read in this collection (default: news).")
@index_option
def ingest(
    inputs: tuple[str, ...],
    sample: bool,
    quiet: bool,
    collection: str | None,
    index_dir: Path | None,
) -> None:
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
        on_error=lambda error: echo(f"error: {error}", err=True),
        on_warning=lambda warning: echo(f"warning: {warning}", err=True),
        collection=collection,
    )
    try:
        report = ingestor.ingest(specs)
    finally:
        if progress is not None:
            progress.close()
    if not quiet:
        echo(report.summary())
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
@click.option("--collection", "collections", multiple=True,
              help="Only articles of this collection (repeatable).")  # fmt: skip
@click.option("--k", "shown", type=click.IntRange(1, 100), default=10, show_default=True,
              help="How many retrieved sentences the JSON output lists ('retrieved').")  # fmt: skip
@click.option("--llm", "mode", flag_value="llm", help="Answer with the configured model.")
@click.option("--extractive", "mode", flag_value="extractive", help="Answer offline, no model.")
@index_option
def ask(
    question: str | None,
    as_json: bool,
    sources: tuple[str, ...],
    since: str | None,
    until: str | None,
    collections: tuple[str, ...],
    shown: int,
    mode: Mode | None,
    index_dir: Path | None,
) -> None:
    """Answer QUESTION with cited sentences; without QUESTION, one question per stdin line
    (one JSON object per line out)."""
    from qa.assistant import Assistant
    from qa.errors import QuestionError

    if question is not None:
        _check_encoding(question)  # before the index is opened: the question is the problem
    assistant = Assistant.from_settings(_settings(index_dir))
    filters = assistant.make_filters(
        sources=sources, since=since, until=until, collections=collections
    )
    if question is not None:
        if as_json:
            answer = assistant.ask(question, filters=filters, mode=mode, retrieved=shown)
        else:
            answer = _stream_to_terminal(
                assistant.ask_stream(question, filters=filters, mode=mode, retrieved=shown)
            )
        if answer.fallback_reason:
            echo(f"note: {answer.fallback_reason}", err=True)
        echo(json.dumps(answer.to_dict(), ensure_ascii=False) if as_json else _human(answer))
        return
    if isinstance(sys.stdin, io.TextIOWrapper):
        # Bytes that are not UTF-8 become one error line for their question, not a crash.
        sys.stdin.reconfigure(errors="surrogateescape")
    for line in sys.stdin:
        if not line.strip():
            continue
        try:
            answer = assistant.ask(
                _check_encoding(line.rstrip("\n")), filters=filters, mode=mode, retrieved=shown
            )
        except QuestionError as exc:
            asked = _SURROGATE.sub("\ufffd", line.strip()[:200])
            echo(json.dumps({"question": asked, "error": str(exc)}))
            continue
        echo(json.dumps(answer.to_dict(), ensure_ascii=False), nl=True)
        sys.stdout.flush()


_SURROGATE = re.compile("[\ud800-\udfff]")


def _check_encoding(question: str) -> str:
    """Refuse a question with bytes that are not UTF-8: Python hands them over as lone
    surrogates, which the tokenizer rejects with a TypeError deep in the search."""
    if _SURROGATE.search(question):
        from qa.errors import QuestionError

        raise QuestionError(
            "the question is not valid UTF-8 text (some bytes cannot be read): type it again, "
            "or set the terminal to UTF-8"
        )
    return question


def _stream_to_terminal(events: Any) -> Any:
    """Show a model's answer as it is written (on a terminal, to stderr, so stdout carries only
    the checked answer); return the final Answer."""
    live = sys.stderr.isatty()
    wrote = False
    answer = None
    from qa.types import Answer

    for event in events:
        if isinstance(event, Answer):
            answer = event
        elif live and event.text:
            if not wrote and getattr(event, "unchecked", False):
                echo("(unchecked draft) ", nl=False, err=True)
            # A model's draft is dimmed: the checked answer on stdout is the one to trust.
            text = terminal_safe(event.text)
            click.echo(click.style(text, dim=True) if event.unchecked else text, nl=False, err=True)
            wrote = True
    if wrote:
        echo("\n" + "-" * 20 + " checked answer " + "-" * 20, err=True)
    return answer


def _human(answer: Any) -> str:
    from qa.types import Filters

    lines = [answer.text, "", f"how sure: {answer.confidence_label()}", ""]
    headline = answer.short_answer_line()
    if headline:
        lines[:0] = [f"Answer: {headline}", ""]
    scope = Filters.from_dict(answer.filters).describe()
    if scope:
        lines[-1:-1] = [f"asked under filters: {scope}"]
    if answer.standalone_question:  # a follow-up made standalone, or typos corrected
        lines[-1:-1] = [f"searched for: {answer.standalone_question}"]
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

    checks = run_checks(_settings(index_dir).chat)
    for check in checks:
        echo(f"{'ok  ' if check.ok else 'FAIL'}  {check.name}: {check.detail}")
    if not all(check.ok for check in checks):
        sys.exit(1)


@main.command()
@index_option
def config(index_dir: Path | None) -> None:
    """Print the effective settings (secrets masked)."""
    for key, value in _settings(index_dir).public_dict().items():
        echo(f"{key} = {json.dumps(value)}")


@main.command()
@click.option("--json", "as_json", is_flag=True, help="One JSON object.")
@click.option(
    "--vectors",
    "count_vectors",
    is_flag=True,
    default=None,
    help="Count the vectors even past 200,000 sentences, where counting takes seconds.",
)
@index_option
def stats(as_json: bool, count_vectors: bool | None, index_dir: Path | None) -> None:
    """Articles, sentences, outlets, date range and index size."""
    from qa.inspect import COUNT_VECTORS_UP_TO, collection_stats

    settings = _settings(index_dir)
    data = collection_stats(settings.index_dir, settings.chroma, count_vectors=count_vectors)
    if as_json:
        echo(json.dumps(data, indent=2))
        return
    for key, value in data.items():
        if key == "vectors" and value is None:
            echo(
                f"vectors: not counted (over {COUNT_VECTORS_UP_TO:,} sentences counting them "
                "takes seconds; add --vectors)"
            )
        elif key == "read_only":
            if value:
                echo("read_only: yes (asking works; adding is off: the index cannot be written)")
        elif key == "outlets":
            echo("outlets:")
            for name, count in value.items():
                echo(f"  {count:6d}  {name}")
        else:
            echo(f"{key}: {value}")


@main.command()
@click.argument("article_id")
@click.option("--removed", is_flag=True, help="Also list the boilerplate removed from it.")
@click.option("--json", "as_json", is_flag=True, help="The article as one JSON object.")
@click.option("--claims", is_flag=True, help="Under each sentence, what it says (names, figures).")
@index_option
def show(
    article_id: str, removed: bool, as_json: bool, claims: bool, index_dir: Path | None
) -> None:
    """Print an article with its sentence numbers (an id prefix is enough)."""
    from qa.inspect import article_claims, find_article, render_article

    where = _settings(index_dir).index_dir
    article, duplicates = find_article(where, article_id)
    read = article_claims(where, article.id) if claims else None
    if as_json:
        data = article.to_dict()
        data["near_duplicates"] = [{"article_id": i, "overlap": s} for i, s in duplicates]
        if read is not None:
            data["claims"] = {str(i): c.to_dict() for i, c in read.items()}
        echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    echo(render_article(article, duplicates, with_removed=removed, claims=read))


@main.command()
@click.argument("article_ids", nargs=-1, required=True)
@click.option("--collection", help="Only take them out of this collection; an article left in "
              "no collection is removed.")  # fmt: skip
@index_option
def remove(article_ids: tuple[str, ...], collection: str | None, index_dir: Path | None) -> None:
    """Remove articles (ids or unique prefixes): sentences, vectors, claims, uploaded files."""
    from qa.ingest.remove import remove_articles

    removal = remove_articles(_settings(index_dir), article_ids, collection=collection)
    for article_id in removal.taken_out:
        echo(f"took {article_id} out of {collection}")
    for article_id in removal.article_ids:
        echo(f"removed {article_id}")
    for name in removal.uploads:
        echo(f"deleted upload {name}")


@main.command()
@index_option
def collections(index_dir: Path | None) -> None:
    """List the collections with how many articles each holds."""
    from qa.store import Store

    store = Store.open(_settings(index_dir).store_path, create=False)
    try:
        for name, count in store.collections():
            echo(f"{name:40}  {count:6d} article(s)")
    finally:
        store.close()


@main.command(name="list")
@click.option("--limit", default=50, show_default=True, help="How many, newest first.")
@click.option("--collection", help="Only the articles of this collection.")
@index_option
def list_articles(limit: int, collection: str | None, index_dir: Path | None) -> None:
    """List articles: id, date, outlet, sentences, title."""
    from qa.access import collection_name
    from qa.store import Store

    store = Store.open(_settings(index_dir).store_path, create=False)
    members = store.collection_members([collection_name(collection)]) if collection else None
    for summary in store.list_articles(limit, only=members):
        date = (summary.published or "")[:10] or "-"
        echo(
            f"{summary.id}  {date:10}  {(summary.outlet or '-')[:20]:20}  "
            f"{summary.sentences:4d}  {summary.title or '(untitled)'}"
        )


@main.command(name="eval")
@click.argument("fixtures", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--check", is_flag=True, help="Only validate the files against the schema.")
@click.option(
    "--mode",
    type=click.Choice(["extractive", "llm"]),
    default=None,
    help="Answer mode (default: the configured one; a case may set its own).",
)
@click.option(
    "--report",
    "reports",
    multiple=True,
    type=click.Path(path_type=Path),
    help="Write a report: out.md, out.html or out.json (repeatable).",
)
@click.option(
    "--fail-under",
    "bounds",
    multiple=True,
    metavar="METRIC=VALUE",
    help="Exit non-zero when METRIC misses VALUE (e.g. hit@1=0.4).",
)
@click.option(
    "--baseline",
    is_flag=True,
    help="Also run a plain LlamaIndex pipeline over the same articles, side by side.",
)
@click.option("--today", help="The date 'this week' or 'latest' refer to (default: today).")
@index_option
def evaluate(
    fixtures: tuple[Path, ...],
    check: bool,
    mode: Mode | None,
    reports: tuple[Path, ...],
    bounds: tuple[str, ...],
    baseline: bool,
    today: str | None,
    index_dir: Path | None,
) -> None:  # fmt: skip
    """Run Q&A fixture files against the index and score answers and citations."""
    from qa.fixtures import check_file, load_cases

    problems = [p for path in fixtures for p in check_file(path)]
    for problem in problems:
        echo(str(problem), err=True)
    if check or problems:
        if not problems:
            echo(f"{len(fixtures)} file(s) valid")
        sys.exit(EXIT_SOME_FAILED if problems else 0)
    limits = _bounds(bounds)
    from qa.evaluate import by_tag, missed_bounds, run_cases, summarize
    from qa.library import open_library
    from qa.report import write_report

    settings = _settings(index_dir)
    library = open_library(settings, today=_date(today))
    cases = [case for path in fixtures for case in load_cases(path)]
    from tqdm import tqdm

    with tqdm(total=len(cases), unit="case", file=sys.stderr, disable=None, leave=False) as bar:
        results = run_cases(library, cases, mode=mode, progress=lambda done, _: bar.update(1))
    for result in results:
        if not result.passed:
            echo(f"FAIL {result.case.id} ({result.case.source}): {'; '.join(result.failures)}")
    summary = summarize(results)
    echo(_metrics_table({"newsqa": summary}))
    for tag, values in by_tag(results).items():
        echo(f"  {tag:20s} {values['cases']:4.0f} cases  passed {values['passed']:.2f}  "
                   f"hit@1 {values['hit@1']:.2f}  hit@3 {values['hit@3']:.2f}")  # fmt: skip
    if baseline:
        from qa.baseline import run_baseline

        baseline_row = run_baseline(settings.store_path, settings.embedding, cases)
        echo(_metrics_table({"newsqa": summary, "llamaindex": baseline_row}))
    for path in reports:
        write_report(path, results)
        echo(f"report: {path}")
    missed = missed_bounds(summary, limits)
    for line in missed:
        echo(f"fail-under: {line}", err=True)
    if missed or any(not r.passed for r in results):
        sys.exit(1)


def _date(value: str | None) -> Any:
    from datetime import date

    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r}: write YYYY-MM-DD", param_hint="--today") from None


def _bounds(bounds: tuple[str, ...]) -> dict[str, float]:
    from qa.evaluate import summarize

    known = set(summarize([])) - {"cases"}  # every metric the summary reports
    out = {}
    for bound in bounds:
        metric, _, value = bound.partition("=")
        if metric not in known:
            raise click.BadParameter(f"{metric!r}: one of {', '.join(sorted(known))}",
                                     param_hint="--fail-under")  # fmt: skip
        try:
            out[metric] = float(value)
        except ValueError:
            raise click.BadParameter(f"{bound!r}: write METRIC=NUMBER",
                                     param_hint="--fail-under") from None  # fmt: skip
    return out


def _metrics_table(rows: dict[str, dict[str, float]]) -> str:
    metrics = list(next(iter(rows.values())))
    names = list(rows)
    lines = [f"{'metric':24s}" + "".join(f"{n:>14s}" for n in names)]
    for metric in metrics:
        cells = "".join(
            f"{rows[n].get(metric, float('nan')):14.3f}" if metric in rows[n] else f"{'-':>14s}"
            for n in names
        )
        lines.append(f"{metric:24s}{cells}")
    return "\n".join(lines)


@main.group()
def fixtures() -> None:
    """Write Q&A fixture cases from real answers."""


@fixtures.command()
@click.argument("question")
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    required=True,
    help="Fixture file to append to (.yaml or .jsonl; created when missing).",
)
@click.option("--id", "case_id", help="Case id (default: from the question).")
@click.option("--tag", "tags", multiple=True, help="Tag (repeatable).")
@click.option("--yes", is_flag=True, help="Keep every citation without asking.")
@click.option("--llm", "mode", flag_value="llm", help="Answer with the configured model.")
@click.option("--extractive", "mode", flag_value="extractive", help="Answer offline.")
@index_option
def record(
    question: str, out: Path, case_id: str | None, tags: tuple[str, ...], yes: bool,
    mode: Mode | None, index_dir: Path | None,
) -> None:  # fmt: skip
    """Ask QUESTION, confirm its citations, and append it as a case to --out."""
    from qa.assistant import Assistant
    from qa.fixtures import append_case, record_case

    answer = Assistant.from_settings(_settings(index_dir)).ask(question, mode=mode)
    echo(_human(answer))
    keep: list[int] = []
    for citation in answer.citations:
        if yes or click.confirm(f"Must [{citation.n}] be cited?", default=True):
            keep.append(citation.n)
    if not answer.abstained and not keep:
        raise click.ClickException("no citation kept: nothing to check, no case written")
    if answer.abstained and not yes and not click.confirm("Must it abstain?", default=True):
        raise click.ClickException("nothing written")
    case = record_case(answer, case_id=case_id, tags=tags, keep=tuple(keep))
    append_case(out, case)
    echo(f"case {case['id']!r} appended to {out}")


@fixtures.command(name="export")
@click.argument("out", type=click.Path(path_type=Path))
@index_option
def export_fixtures(out: Path, index_dir: Path | None) -> None:
    """Append the answers saved with the page's "Save as test fixture" button to OUT."""
    from qa.feedback import FeedbackLog
    from qa.fixtures import append_case
    from qa.types import Answer

    log = FeedbackLog(_settings(index_dir).store_path)
    saved = log.records("fixture")
    log.close()
    from qa.fixtures import record_case

    for record in saved:
        answer = Answer.from_dict(record["answer"])
        case = record["fixture"] or record_case(answer, case_id=f"page-{record['id']}")
        append_case(out, case)
    echo(f"{len(saved)} case(s) appended to {out}")


@main.command()
@click.argument("topic")
@click.option("--since", help="Only articles published on or after this date.")
@click.option("--until", help="Only articles published on or before this date.")
@click.option("--source", "sources", multiple=True, help="Only this outlet (repeatable).")
@click.option("--collection", "collections", multiple=True,
              help="Only articles of this collection (repeatable).")  # fmt: skip
@click.option("--new-since", help="'What's new' since this date (default: the last briefing).")
@click.option("--format", "output_format", type=click.Choice(["md", "json"]), default="md",
              show_default=True)  # fmt: skip
@click.option("--out", type=click.Path(path_type=Path), help="Write to this file.")
@click.option("--llm", "mode", flag_value="llm", help="Key points written by the model.")
@click.option("--extractive", "mode", flag_value="extractive", help="Offline, no model.")
@index_option
def brief(
    topic: str, since: str | None, until: str | None, sources: tuple[str, ...],
    collections: tuple[str, ...], new_since: str | None, output_format: str, out: Path | None,
    mode: Mode | None, index_dir: Path | None,
) -> None:  # fmt: skip
    """A sourced, dated briefing on TOPIC: key points, timeline, who's who, where accounts
    differ, what's new, sources."""
    from qa.assistant import Assistant
    from qa.brief import Briefer
    from qa.export import briefing_markdown
    from qa.library import open_library

    library = open_library(_settings(index_dir))
    assistant = Assistant(library)
    filters = assistant.make_filters(
        sources=sources, since=since, until=until, collections=collections
    )
    if new_since is not None:
        new_since = assistant.make_filters(since=new_since).since
    briefing = Briefer(library).brief(
        topic, filters=filters, new_since=new_since, mode=mode or library.default_mode
    )
    for notice in briefing.notices:
        echo(f"note: {notice}", err=True)
    if output_format == "json":
        text = json.dumps(briefing.to_dict(), indent=2, ensure_ascii=False)
    else:
        text = briefing_markdown(briefing)
    if out is None:
        echo(text)
    else:
        out.write_text(text, encoding="utf-8")
        echo(f"briefing written to {out}")
