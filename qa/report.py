"""Evaluation reports: JSON for tools, Markdown for notes and CI logs, HTML for people.

The HTML report is one self-contained file (no scripts, no network): a summary table, metrics
by tag, per-case details with the cited sentences, and two plots drawn as inline SVG (metrics by
tag, latency distribution). Inline SVG keeps the report offline-readable; a plotting library
would add a dependency or a CDN script for two bar charts.

    write_report(Path("out.html"), results)
"""

from __future__ import annotations

import html
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from qa.evaluate import CaseResult, as_record, by_tag, summarize

PLOTTED = ("hit@1", "hit@3", "citation_recall", "citation_precision", "answer_match")
COLOURS = ("#1f4e8c", "#5b8bd0", "#2e7d4f", "#8fc79f", "#b0621a")


def write_report(path: Path, results: Sequence[CaseResult], *, title: str = "") -> None:
    suffix = path.suffix.lower()
    if suffix == ".json":
        text = json.dumps(report_data(results), indent=2, ensure_ascii=False)
    elif suffix in (".md", ".markdown"):
        text = markdown_report(results, title=title)
    elif suffix in (".html", ".htm"):
        text = html_report(results, title=title)
    else:
        from qa.errors import ConfigError

        raise ConfigError(f"report {path}: name it .json, .md or .html")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def report_data(results: Sequence[CaseResult]) -> dict[str, Any]:
    return {
        "summary": summarize(results),
        "by_tag": by_tag(results),
        "cases": [as_record(r) for r in results],
    }


def _value(metric: str, value: float) -> str:
    if metric in ("cases", "boilerplate_citations"):
        return f"{value:.0f}"
    if metric.endswith("_ms"):
        return f"{value:.0f} ms"
    return f"{value:.3f}"


def markdown_report(results: Sequence[CaseResult], *, title: str = "") -> str:
    summary = summarize(results)
    lines = [f"# {title or 'newsqa evaluation'}", "", "| metric | value |", "|---|---|"]
    lines += [f"| {k} | {_value(k, v)} |" for k, v in summary.items()]
    tags = by_tag(results)
    if tags:
        lines += ["", "## By tag", "", "| tag | cases | passed | " + " | ".join(PLOTTED) + " |"]
        lines.append("|---" * (len(PLOTTED) + 3) + "|")
        for tag, values in tags.items():
            cells = " | ".join(f"{values[m]:.2f}" for m in PLOTTED)
            lines.append(f"| {tag} | {values['cases']:.0f} | {values['passed']:.2f} | {cells} |")
    lines += ["", "## Cases", ""]
    for result in results:
        mark = "PASS" if result.passed else "FAIL"
        lines.append(f"- **{mark}** `{result.case.id}`: {_md(result.case.question)}")
        for failure in result.failures:
            lines.append(f"  - {_md(failure)}")
        for citation in result.answer.citations:
            lines.append(
                f"  - [{citation.n}] {_md(citation.sentence)} ({_md(citation.title or '')})"
            )
    return "\n".join(lines) + "\n"


def _md(text: str) -> str:
    from qa.escape import md_escape

    return md_escape(text)


def html_report(results: Sequence[CaseResult], *, title: str = "") -> str:
    summary = summarize(results)
    tags = by_tag(results)
    esc = html.escape
    rows = "".join(
        f"<tr><td>{esc(k)}</td><td>{esc(_value(k, v))}</td></tr>" for k, v in summary.items()
    )
    tag_rows = "".join(
        f"<tr><td>{esc(tag)}</td><td>{v['cases']:.0f}</td><td>{v['passed']:.2f}</td>"
        + "".join(f"<td>{v[m]:.2f}</td>" for m in PLOTTED)
        + "</tr>"
        for tag, v in tags.items()
    )
    cases = []
    for result in results:
        status = "pass" if result.passed else "fail"
        failures = "".join(f"<li>{esc(f)}</li>" for f in result.failures)
        cited = "".join(
            f"<li>[{c.n}] {esc(c.sentence)} <span class='meta'>{esc(c.title or '')} · "
            f"{esc(c.source or '')} · support {c.support:.2f}</span></li>"
            for c in result.answer.citations
        )
        cases.append(
            f"<details class='{status}'><summary><b>{status.upper()}</b> "
            f"<code>{esc(result.case.id)}</code> {esc(result.case.question)}</summary>"
            f"<ul class='failures'>{failures}</ul><p>{esc(result.answer.text)}</p>"
            f"<ol class='cited'>{cited}</ol><p class='meta'>{esc(result.case.source)} · "
            f"{result.latency_ms:.0f} ms · {esc(result.answer.mode)}</p></details>"
        )
    heading = esc(title or "newsqa evaluation")
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{heading}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body {{ font: 15px/1.5 system-ui, sans-serif; max-width: 980px; margin: 2em auto; padding: 0 1em;
  color: #222; }}
table {{ border-collapse: collapse; margin: .5em 0 1.5em; }}
td, th {{ border: 1px solid #ddd; padding: .25em .6em; text-align: left; }}
details {{ border-left: 4px solid #2e7d4f; padding: .2em .8em; margin: .4em 0; }}
details.fail {{ border-left-color: #b3261e; }}
.meta {{ color: #666; font-size: .9em; }}
svg text {{ font: 11px system-ui, sans-serif; }}
</style></head><body>
<h1>{heading}</h1>
<h2>Summary</h2><table id="summary"><tr><th>metric</th><th>value</th></tr>{rows}</table>
<h2>Metrics by tag</h2>{tag_chart(tags)}
<table id="by-tag"><tr><th>tag</th><th>cases</th><th>passed</th>
{"".join(f"<th>{m}</th>" for m in PLOTTED)}</tr>{tag_rows}</table>
<h2>Latency</h2>{latency_chart([r.latency_ms for r in results])}
<h2>Cases</h2>{"".join(cases)}
</body></html>
"""


def tag_chart(tags: dict[str, dict[str, float]]) -> str:
    """Grouped bars: one group per tag, one bar per plotted metric (0..1)."""
    if not tags:
        return "<p>No tags.</p>"
    group = len(PLOTTED) * 9 + 14
    width, height, top = 60 + group * len(tags), 200, 20
    bars = []
    for g, (tag, values) in enumerate(tags.items()):
        x0 = 50 + g * group
        for m, metric in enumerate(PLOTTED):
            bar = values[metric] * (height - top - 40)
            y = height - 40 - bar
            bars.append(
                f'<rect x="{x0 + m * 9}" y="{y:.1f}" width="8" height="{bar:.1f}" '
                f'fill="{COLOURS[m]}"><title>{html.escape(tag)} {metric} '
                f"{values[metric]:.2f}</title></rect>"
            )
        bars.append(
            f'<text x="{x0}" y="{height - 25}" transform="rotate(30 {x0} {height - 25})">'
            f"{html.escape(tag)}</text>"
        )
    legend = "".join(
        f'<rect x="{50 + i * 120}" y="2" width="10" height="10" fill="{c}"/>'
        f'<text x="{64 + i * 120}" y="11">{m}</text>'
        for i, (m, c) in enumerate(zip(PLOTTED, COLOURS, strict=True))
    )
    axis = (
        f'<line x1="45" y1="{height - 40}" x2="{width}" y2="{height - 40}" stroke="#999"/>'
        f'<text x="20" y="{top + 4}">1.0</text><text x="20" y="{height - 40}">0</text>'
    )
    return (
        f'<svg id="tag-chart" role="img" aria-label="metrics by tag" width="{max(width, 660)}" '
        f'height="{height + 20}">{legend}{axis}{"".join(bars)}</svg>'
    )


def latency_chart(latencies: Sequence[float], bins: int = 12) -> str:
    """A histogram of per-case latency in milliseconds."""
    if not latencies:
        return "<p>No cases.</p>"
    low, high = min(latencies), max(latencies)
    step = (high - low) / bins or 1.0
    counts = [0] * bins
    for value in latencies:
        counts[min(bins - 1, int((value - low) / step))] += 1
    peak = max(counts)
    height = 160
    bars = []
    for i, count in enumerate(counts):
        bar = count / peak * (height - 40)
        bars.append(
            f'<rect x="{40 + i * 40}" y="{height - 30 - bar:.1f}" width="36" height="{bar:.1f}" '
            f'fill="#5b8bd0"><title>{low + i * step:.0f}-{low + (i + 1) * step:.0f} ms: '
            f"{count}</title></rect>"
        )
    labels = (
        f'<text x="40" y="{height - 12}">{low:.0f} ms</text>'
        f'<text x="{40 + bins * 40 - 60}" y="{height - 12}">{high:.0f} ms</text>'
    )
    return (
        f'<svg id="latency-chart" role="img" aria-label="latency distribution" '
        f'width="{60 + bins * 40}" height="{height}">{"".join(bars)}{labels}</svg>'
    )
