"""Measure HTML extraction + boilerplate cleaning against a real news corpus.

    python scripts/measure_cleaning.py [CORPUS]      # default: ../shared/corpus from the repo

(a) `CORPUS/html/*.html` with `CORPUS/html/expected.json`: each page goes through `read_html`
    then `clean_article_text`; every `with` snippet must be in the clean text and every
    `without` snippet must not. Snippets and text are compared after collapsing whitespace and
    folding typographic quotes/dashes and no-break spaces to ASCII (the snippets were typed
    with straight quotes where pages use curly ones). Targets: >= 95% kept and >= 95% dropped.
(b) `CORPUS/articles/000_56d9717adf90b1d3.txt`, a raw page text whose first line is the
    headline: the expected removals are found from the file's structure, not from text copied
    here (the corpus must not be copied into the repository): the paragraph printed twice (a
    photo caption), the agency credit line right after its first copy, the "Loading..." line,
    the "READ MORE:" lines and the stray last line; short lines in the middle (crossheads) and
    every other line must be kept. PASS/FAIL per item.
(c) Checks the cleaner does not eat real text: everything it removes from the already-clean
    `CORPUS/articles/*.txt` is listed, and the whole `CORPUS/bbc/` dataset is cleaned for timing.

Exit status 0 when every target is met, 1 otherwise.
"""

from __future__ import annotations

import argparse
import json
import logging
import re
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from qa.ingest.clean import clean_article_text  # noqa: E402
from qa.ingest.html import read_html  # noqa: E402

TARGET = 0.95
RAW_PAGE = "000_56d9717adf90b1d3.txt"
_FOLD = str.maketrans(
    {"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-", "\xa0": " ", "…": "..."}
)
_HEADER = re.compile(r"^(Title|Source|Date|URL):", re.MULTILINE)


def fold(text: str) -> str:
    """Whitespace collapsed; curly quotes, en/em dashes, ellipsis and nbsp as ASCII."""
    return " ".join(text.translate(_FOLD).split())


# --------------------------------------------------------------------------- (a) html pages


# trafilatura option sets tried with --compare (each on top of the reader's own options).
VARIANTS: dict[str, dict[str, object]] = {
    "chosen (balanced)": {},
    "favor_precision": {"favor_precision": True},
    "favor_recall": {"favor_recall": True},
    "fast": {"fast": True},
    "include_tables=False": {"include_tables": False},
    "include_comments=True": {"include_comments": True},
    "deduplicate=True": {"deduplicate": True},
}


def compare_options(corpus: Path) -> None:
    """Run (a) once per option set and print its totals (the reader's options are restored)."""
    import qa.ingest.html as html_reader

    chosen = dict(html_reader._OPTIONS)
    print("== option sets (read_html + clean_article_text on the HTML pages)")
    for label, change in VARIANTS.items():
        html_reader._OPTIONS.clear()
        html_reader._OPTIONS.update(chosen, **change)
        try:
            totals = _score_pages(corpus, verbose=False)
        finally:
            html_reader._OPTIONS.clear()
            html_reader._OPTIONS.update(chosen)
        print(
            f"  {label:24} with kept {totals[0]}/{totals[1]}, without dropped "
            f"{totals[2]}/{totals[3]}, {totals[4] * 1000:.1f} ms/page"
        )
    print()


def measure_html(corpus: Path) -> bool:
    print(f"== (a) HTML pages in {corpus / 'html'}: read_html + clean_article_text")
    kept, with_total, dropped, without_total, read_s, clean_s, titles_ok, pages = _score_pages(
        corpus, verbose=True
    )
    with_share = kept / with_total if with_total else 1.0
    without_share = dropped / without_total if without_total else 1.0
    print(f"  with kept:       {kept}/{with_total} = {with_share:.1%}  (target {TARGET:.0%})")
    print(
        f"  without dropped: {dropped}/{without_total} = {without_share:.1%}  (target {TARGET:.0%})"
    )
    print(f"  titles equal to expected.json (folded): {titles_ok}/{pages}")
    print(f"  time per page: read_html {read_s * 1000:.1f} ms, clean {clean_s * 1000:.2f} ms")
    return with_share >= TARGET and without_share >= TARGET


def _score_pages(
    corpus: Path, *, verbose: bool
) -> tuple[int, int, int, int, float, float, int, int]:
    """(with kept, with total, without dropped, without total, read s/page, clean s/page,
    titles equal to the expected ones, pages)."""
    folder = corpus / "html"
    expected: dict[str, dict[str, object]] = json.loads(
        (folder / "expected.json").read_text(encoding="utf-8")
    )
    kept = with_total = dropped = without_total = titles_ok = 0
    read_seconds = clean_seconds = 0.0
    for name, spec in expected.items():
        data = (folder / name).read_bytes()
        started = time.perf_counter()
        raw = read_html(data, origin=name, url=str(spec.get("url") or "") or None)
        read_seconds += time.perf_counter() - started
        started = time.perf_counter()
        cleaned = clean_article_text(raw.body, title=raw.title)
        clean_seconds += time.perf_counter() - started
        text = fold(cleaned.text)
        wanted, unwanted = _strings(spec, "with"), _strings(spec, "without")
        missing = [s for s in wanted if fold(s) not in text]
        leaked = [s for s in unwanted if fold(s) in text]
        kept += len(wanted) - len(missing)
        with_total += len(wanted)
        dropped += len(unwanted) - len(leaked)
        without_total += len(unwanted)
        titles_ok += fold(raw.title or "") == fold(str(spec.get("title") or ""))
        if verbose:
            for snippet in missing:
                print(f"  FAIL {name}: lost     {snippet[:90]!r}")
            for snippet in leaked:
                print(f"  FAIL {name}: kept     {snippet[:90]!r}")
    pages = max(len(expected), 1)
    return (
        kept, with_total, dropped, without_total,
        read_seconds / pages, clean_seconds / pages, titles_ok, len(expected),
    )  # fmt: skip


def _strings(spec: dict[str, object], key: str) -> list[str]:
    value = spec.get(key) or []
    return [str(item) for item in value] if isinstance(value, list) else []


# --------------------------------------------------------------------------- (b) raw page


def measure_raw_page(corpus: Path) -> bool:
    path = corpus / "articles" / RAW_PAGE
    body = path.read_text(encoding="utf-8")
    lines = [" ".join(line.split()) for line in body.splitlines()]
    lines = [line for line in lines if line]
    title = lines[0]
    cleaned = clean_article_text(body, title=title)
    removed = {(r.text, r.reason) for r in cleaned.removed}
    kept = set(cleaned.text.split("\n\n"))
    print(f"\n== (b) {RAW_PAGE}: removed with reasons")
    for item in cleaned.removed:
        print(f"  {item.reason:10} {item.text[:100]!r}")

    # Expected removals, found from the file's structure.
    twice = [line for line in dict.fromkeys(lines) if lines.count(line) == 2]
    credit_at = [i + 1 for i, line in enumerate(lines[:-1]) if line in twice]
    expected: list[tuple[str, str, str]] = [("caption printed twice", t, "caption") for t in twice]
    expected += [("credit line after it", lines[i], "credit") for i in credit_at[:1]]
    expected += [("loading line", t, "loading") for t in lines if t.startswith("Loading")]
    expected += [("READ MORE: teaser", t, "teaser") for t in lines if t.startswith("READ MORE:")]
    expected.append(("stray fragment at the end", lines[-1], "navigation"))
    expected.append(("headline repeating the title", title, "headline"))
    noise = {text for _, text, _ in expected}
    crossheads = [
        t for t in lines[1:-1] if t not in noise and len(t.split()) <= 4 and t[-1] not in '.!?"'
    ]
    sentences = [t for t in lines[1:-1] if t not in noise and t not in crossheads]

    ok = True
    print("  expected:")
    for label, text, reason in expected:
        passed = (text, reason) in removed and text not in kept
        ok &= passed
        print(f"  {'PASS' if passed else 'FAIL'} removed as {reason:10} ({label}) {text[:70]!r}")
    for text in crossheads:
        passed = text in kept
        ok &= passed
        print(f"  {'PASS' if passed else 'FAIL'} kept crosshead {text!r}")
    kept_sentences = sum(text in kept for text in sentences)
    passed = kept_sentences == len(sentences)
    ok &= passed
    print(
        f"  {'PASS' if passed else 'FAIL'} kept real paragraphs: {kept_sentences}/{len(sentences)}"
    )
    extra = [r for r in cleaned.removed if r.text not in noise]
    if extra:
        ok = False
        for item in extra:
            print(f"  FAIL unexpected removal ({item.reason}) {item.text[:80]!r}")
    return ok


# --------------------------------------------------------------------------- (c) clean texts


def measure_false_removals(corpus: Path) -> bool:
    print("\n== (c) already-clean articles: anything removed besides a headline is suspect")
    suspects = 0
    for path in sorted((corpus / "articles").glob("*.txt")):
        if path.name == RAW_PAGE:
            continue
        header, body = _split_header(path.read_text(encoding="utf-8"))
        cleaned = clean_article_text(body, title=header.get("Title"))
        for item in cleaned.removed:
            if item.reason != "headline":
                suspects += 1
                print(f"  {path.name}: {item.reason:10} {item.text[:90]!r}")
    print(f"  removals from clean texts: {suspects}")

    files = sorted((corpus / "bbc").glob("*/*.txt"))
    texts = [_read_any(path) for path in files]
    started = time.perf_counter()
    removed = 0
    for text in texts:
        title = text.split("\n", 1)[0]
        removed += sum(
            r.reason != "headline" for r in clean_article_text(text, title=title).removed
        )
    seconds = time.perf_counter() - started
    print(
        f"  bbc/ dataset: {len(texts)} articles cleaned in {seconds:.3f} s "
        f"({seconds / max(len(texts), 1) * 1000:.3f} ms each); non-headline removals: {removed}"
    )
    return seconds < 1.0


def _split_header(text: str) -> tuple[dict[str, str], str]:
    head, _, body = text.partition("\n\n")
    if not _HEADER.match(head):
        return {}, text
    fields = dict(line.split(":", 1) for line in head.splitlines() if ":" in line)
    return {key.strip(): value.strip() for key, value in fields.items()}, body


def _read_any(path: Path) -> str:
    data = path.read_bytes()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("corpus", nargs="?", type=Path, default=REPO / ".." / "shared" / "corpus")
    parser.add_argument(
        "--compare", action="store_true", help="first score each trafilatura option set"
    )
    args = parser.parse_args(argv)
    logging.getLogger("trafilatura").setLevel(logging.ERROR)
    corpus: Path = args.corpus.resolve()
    if not (corpus / "html" / "expected.json").is_file():
        print(f"no corpus at {corpus} (expected html/expected.json there)", file=sys.stderr)
        return 2
    if args.compare:
        compare_options(corpus)
    results = {
        "html pages": measure_html(corpus),
        "raw page 000": measure_raw_page(corpus),
        "speed": measure_false_removals(corpus),
    }
    print(
        "\n== summary: " + ", ".join(f"{k} {'PASS' if v else 'FAIL'}" for k, v in results.items())
    )
    return 0 if all(results.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
