"""The chat page's speed in a real browser: `streamlit run app.py` against an index, driven by
Debian's chromium through Playwright (needs `make browser-deps`; never `playwright install`).

    python scripts/bench_page.py --index DIR [--runs 5] [--in-place]

The app saves each conversation into the index's SQLite file (and Chroma may touch its own), so
by default the page runs against a temporary copy of DIR; --in-place uses DIR itself.

Prints, each as p50 and max over the runs:
  server start   process start to /_stcore/health answering "ok" (a new server each run; the
                 last one serves the page runs below)
  first paint    navigation start to the chat input visible, in a fresh browser context each run
                 (the first one also opens the index and the models in the server)
  answer visible Enter pressed to the new turn's answer and first source visible, one question
                 per run from a built-in list, all in one conversation (an answer with no source
                 at all counts when its text shows, and is flagged)
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tests.helpers import (  # noqa: E402
    CHROMIUM,
    CHROMIUM_ARGS,
    start_streamlit,
    stop_process,
    streamlit_healthy,
)

QUESTIONS = [
    "How many people were evacuated?",
    "What did the minister say?",
    "How much did the company's profits rise?",
    "Who won the election?",
    "What caused the delay?",
    "How much damage did the storm cause?",
    "When will the new law take effect?",
    "Why did the shares fall?",
    "What did the police say about the investigation?",
    "How many jobs will be cut?",
]
TIMEOUT_MS = 120_000
SOURCELESS_GRACE_S = 5.0
# The new turn is complete when its answer and its first source are visible. An answer that has
# no source at all is taken SOURCELESS_GRACE_S after its text showed (subtracted afterwards).
ANSWER_JS = """([turn, graceMs]) => {
  const answers = document.querySelectorAll('.nq-answer');
  if (answers.length < turn || !answers[turn - 1].checkVisibility()) return false;
  const source = document.getElementById(`nq-src-${turn}-1`);
  if (source !== null && source.checkVisibility()) return true;
  window.__nqSeen = window.__nqSeen || {};
  window.__nqSeen[turn] = window.__nqSeen[turn] || performance.now();
  return performance.now() - window.__nqSeen[turn] > graceMs;
}"""


def start_server(
    index: Path, log: Path, *, port: int | None = None, options: tuple[str, ...] = ()
) -> tuple[subprocess.Popen[bytes], str, float]:
    """Start streamlit; return it, its URL and the seconds until /_stcore/health said ok."""
    started = time.perf_counter()
    proc, url = start_streamlit(index, log, port=port, options=options)
    while not streamlit_healthy(url):
        if proc.poll() is not None:
            sys.exit(f"streamlit exited with {proc.returncode}:\n{log.read_text(errors='replace')}")
        if time.perf_counter() - started > 120:
            stop_process(proc)
            sys.exit(f"streamlit not healthy after 120 s:\n{log.read_text(errors='replace')}")
        time.sleep(0.05)
    return proc, url, time.perf_counter() - started


def first_paints(browser: Any, url: str, runs: int) -> list[float]:
    """Navigation start to the chat input visible, a fresh context (session) each time.
    Measured in the page (performance.now() is relative to navigation start)."""
    times = []
    for _ in range(runs):
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        page.goto(url, wait_until="commit")
        page.wait_for_function(
            """() => { const el = document.querySelector('[data-testid="stChatInput"]');
                       if (!el || !el.checkVisibility()) return false;
                       window.__nqPaint = window.__nqPaint || performance.now(); return true; }""",
            timeout=TIMEOUT_MS,
            polling="raf",
        )
        times.append(page.evaluate("window.__nqPaint") / 1000)
        context.close()
    return times


def answers_visible(browser: Any, url: str, runs: int) -> tuple[list[float], list[str]]:
    """Enter pressed to the new turn's `.nq-answer` and first `.nq-source` visible."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.goto(url)
    box = page.locator('[data-testid="stChatInputTextArea"]')
    box.wait_for(state="visible")
    times, notes = [], []
    for turn, question in enumerate((QUESTIONS * (runs // len(QUESTIONS) + 1))[:runs], start=1):
        box.fill(question)
        started = time.perf_counter()
        box.press("Enter")
        page.wait_for_function(
            ANSWER_JS, arg=[turn, SOURCELESS_GRACE_S * 1000], timeout=TIMEOUT_MS, polling="raf"
        )
        times.append(time.perf_counter() - started)
        if page.locator(f"#nq-src-{turn}-1").count() == 0:
            times[-1] -= SOURCELESS_GRACE_S
            kind = "NO SOURCE (answer text only)"
        elif page.locator(f'.nq-answer a.nq-chip[href^="#nq-src-{turn}-"]').count():
            kind = "cited"
        else:
            kind = "related reading"
        notes.append(f"{times[-1]:5.2f} s  {kind:<15} {question}")
    context.close()
    return times, notes


def summary(name: str, values: list[float]) -> str:
    return (
        f"{name:<15} p50 {statistics.median(values):6.2f} s   max {max(values):6.2f} s   "
        f"(n={len(values)}: {', '.join(f'{v:.2f}' for v in values)})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--index", type=Path, required=True)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--in-place", action="store_true", help="run against DIR itself, not a temporary copy"
    )
    args = parser.parse_args()
    if not (args.index / "newsqa.sqlite3").exists():
        sys.exit(f"{args.index}: no index here (newsqa ingest ... --index {args.index})")
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="bench-page-") as tmp:
        log = Path(tmp) / "streamlit.log"
        index = args.index
        if not args.in_place:
            index = Path(tmp) / "index"
            shutil.copytree(args.index, index)
        starts = []
        for run in range(args.runs):
            proc, url, healthy = start_server(index, log)
            starts.append(healthy)
            if run < args.runs - 1:
                stop_process(proc)
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
                try:
                    paints = first_paints(browser, url, args.runs)
                    answers, notes = answers_visible(browser, url, args.runs)
                finally:
                    browser.close()
        finally:
            stop_process(proc)
    where = "in place" if args.in_place else "on a temporary copy"
    print(f"index {args.index} ({where}), {args.runs} runs")
    print(summary("server start", starts))
    print(summary("first paint", paints))
    print(
        f"  (first paint run 1 is cold: it opens the index and models; warm p50 "
        f"{statistics.median(paints[1:] or paints):.2f} s)"
    )
    print(summary("answer visible", answers))
    for note in notes:
        print(f"  {note}")


if __name__ == "__main__":
    main()
