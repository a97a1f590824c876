"""Large-collection benchmark: builds a synthetic news collection of about N sentences through
newsqa's own write path, then measures asking it. Prints one JSON line.

    python scripts/bench_scale.py --sentences 40000 --bbc ../shared/corpus/bbc
    python scripts/bench_scale.py --sentences 1000000 --bbc ../shared/corpus/bbc --serve-chroma

Articles are made of real sentences (the BBC set): each synthetic article takes the sentences of
one topic at random, with numbers, names, months, weekdays and outlets redrawn, so its words and
their spread are those of news while no two articles are copies. They are written as JSON Lines
files of 1,000 articles and ingested by `Ingestor` (reading, cleaning, splitting, SQLite and FTS5,
wire-copy linking, vectors through `VectorIndex`), exactly as `newsqa ingest` does. Two things
differ, both to keep a million-sentence build within hours on 2 cores: each distinct BBC
sentence is embedded once and its vector reused for every redrawn copy of it (texts the pipeline
splits differently go to the model, counted as `model_texts`); and claims (`qa.claims`) are read
only for the bundled sample articles, which are ingested first, whole, so that
`known_answers_ok` (hit@3 of the sample fixtures' questions) says whether answers still come
through when a million other sentences compete.

The build is cached in `--cache/N` (a second run at the same size only measures; an interrupted
build goes on from its last whole file). Measuring runs in child processes, as a user's would:
the warm asking process (every fixture question once, after one warm-up) with its peak RSS,
three cold `newsqa ask` runs, and `newsqa stats`. With `--serve-chroma` the same vectors are
measured through a `chroma run` server started on the cache's Chroma folder (the asking process
then holds no vectors), with `--chroma-url` through a server you run.

Fields: sentences, articles, build_s (whole build), write_s_per_10k_first / _last (ingest
seconds per 10,000 sentences in the first and the last three files: reading, SQLite, Chroma;
the model's time is that of the few texts cut differently, `model_texts`, a fraction of a second),
disk_mb (sqlite_mb + chroma_mb), cold_ms, warm_p50_ms, warm_p95_ms, rss_mb, stats_ms,
known_answers_ok, model_texts, vector_mode; with `--serve-chroma`, server_rss_mb (the Chroma
server's peak memory).
"""

from __future__ import annotations

import argparse
import calendar
import json
import os
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "qa" / "sample_questions.yaml"
SAMPLE_TODAY = "2026-04-20"  # the date the sample fixtures are written for
FILE_ARTICLES = 1000
SEED = 20261207
COLD_QUESTIONS = [
    "How many soldiers were killed in the first clash at the Tarnov Pass?",
    "How much did the company's profits rise?",
    "Who was suspended after missing a drugs test?",
]

_NUMBER = re.compile(r"\d+")
_WORD = re.compile(r"\b[A-Z][a-z]{2,}\b")
_MONTHS = [m for m in calendar.month_name if m]
_DAYS = list(calendar.day_name)
_OUTLET_A = [
    "Daily",
    "Evening",
    "Morning",
    "Weekly",
    "National",
    "City",
    "County",
    "Northern",
    "Southern",
    "Coastal",
    "Valley",
    "Metro",
    "Harbour",
    "Capital",
    "Union",
    "Free",
]
_OUTLET_B = [
    "Post",
    "Courier",
    "Herald",
    "Times",
    "Chronicle",
    "Gazette",
    "Record",
    "Mirror",
    "Observer",
    "Standard",
    "Tribune",
    "Echo",
    "Journal",
    "Press",
    "Sentinel",
    "Star",
]


# -- the source sentences -----------------------------------------------------------------


class Sources:
    """The BBC articles' distinct sentences and headlines by topic, and their vectors."""

    def __init__(self, bbc: Path, cache: Path) -> None:
        from qa.ingest.sentences import split_sentences

        texts: dict[str, int] = {}
        self.topics: dict[str, tuple[list[int], list[int]]] = {}  # topic -> (titles, sentences)
        lower: set[str] = set()
        capital: dict[str, int] = {}
        for folder in sorted(p for p in bbc.iterdir() if p.is_dir()):
            titles: list[int] = []
            sentences: list[int] = []
            for path in sorted(folder.glob("*.txt")):
                title, _, body = path.read_text(encoding="latin-1").strip().partition("\n")
                titles.append(texts.setdefault(title.strip(), len(texts)))
                for paragraph in body.split("\n"):
                    for start, end in split_sentences(paragraph.strip()):
                        sentence = paragraph.strip()[start:end]
                        sentences.append(texts.setdefault(sentence, len(texts)))
                        for word in sentence.split()[1:]:
                            if word.isalpha():
                                if word[0].isupper():
                                    capital[word] = capital.get(word, 0) + 1
                                else:
                                    lower.add(word)
            self.topics[folder.name] = (titles, sorted(set(sentences)))
        self.texts = list(texts)
        # Names: words written capitalised mid-sentence, never in lower case, seen twice or more.
        self.names = sorted(
            w
            for w, n in capital.items()
            if n >= 2 and w.lower() not in lower and w not in _MONTHS and w not in _DAYS
        )
        self._name_set = set(self.names)
        self.vectors = self._vectors(cache)

    def _vectors(self, cache: Path) -> np.ndarray:
        import hashlib

        key = hashlib.sha256("\n".join(self.texts).encode()).hexdigest()[:16]
        path = cache / f"source-vectors-{key}.npy"
        if path.is_file():
            return np.load(path)
        from qa.config import Settings
        from qa.embed import load_embedder

        started = time.perf_counter()
        vectors = load_embedder(Settings().embedding).embed(self.texts)
        print(
            f"embedded {len(self.texts):,} source texts in {time.perf_counter() - started:.0f} s",
            file=sys.stderr,
        )
        cache.mkdir(parents=True, exist_ok=True)
        np.save(path, vectors)
        return np.asarray(vectors)

    def redraw(self, rng: random.Random, text: str) -> str:
        text = _NUMBER.sub(lambda m: _digits(rng, len(m.group())), text)

        def word(m: re.Match[str]) -> str:
            found = m.group()
            if found in _MONTHS:
                return rng.choice(_MONTHS)
            if found in _DAYS:
                return rng.choice(_DAYS)
            if found in self._name_set and rng.random() < 0.7:
                return rng.choice(self.names)
            return found

        return _WORD.sub(word, text)


def _digits(rng: random.Random, length: int) -> str:
    if length == 1:
        return str(rng.randrange(10))
    return str(rng.randrange(1, 10)) + "".join(str(rng.randrange(10)) for _ in range(length - 1))


# -- synthetic articles ---------------------------------------------------------------------


class ReusedEmbedder:
    """The pipeline's embedder for the build: a redrawn text gets its source text's vector;
    a text it has not seen (split differently by the pipeline) goes to the model."""

    def __init__(self, sources: Sources) -> None:
        self._sources = sources
        self.known: dict[str, int] = {}
        self.prefixes: dict[str, int] = {}
        self.model_texts = 0
        self._model: Any = None

    @property
    def dimension(self) -> int:
        return int(self._sources.vectors.shape[1])

    def embed(self, texts: list[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        missing = []
        for row, text in enumerate(texts):
            # A text the pipeline cut differently (cleaning, a split inside a line) takes the
            # vector of the sentence it was cut from: the model's first call per text length
            # costs a fifth of a second, more than the rest of a file's ingest.
            source = self.known.get(text, self.prefixes.get(text[:40]))
            if source is None:
                missing.append(row)
            else:
                out[row] = self._sources.vectors[source]
        if missing:
            if self._model is None:
                from qa.config import Settings
                from qa.embed import load_embedder

                self._model = load_embedder(Settings().embedding)
            out[missing] = self._model.embed([texts[row] for row in missing])
            self.model_texts += len(missing)
        return out


def write_file(path: Path, number: int, sources: Sources, embedder: ReusedEmbedder) -> int:
    """File `number` of the collection (the same every time); returns its sentence count."""
    rng = random.Random(SEED * 1_000_003 + number)
    topics = sorted(sources.topics)
    count = 0
    with path.open("w", encoding="utf-8") as out:
        for item in range(FILE_ARTICLES):
            titles, pool = sources.topics[rng.choice(topics)]
            title_source = rng.choice(titles)
            title = sources.redraw(rng, sources.texts[title_source])
            embedder.known[title] = embedder.prefixes[title[:40]] = title_source
            paragraphs = []
            for _ in range(max(3, min(40, int(rng.gauss(18, 6))))):
                source = rng.choice(pool)
                sentence = sources.redraw(rng, sources.texts[source])
                embedder.known[sentence] = embedder.prefixes[sentence[:40]] = source
                paragraphs.append(sentence)
                count += 1
            day = date.fromordinal(
                rng.randrange(date(2000, 1, 1).toordinal(), date(2026, 11, 30).toordinal())
            )
            outlet = f"{rng.choice(_OUTLET_A)} {rng.choice(_OUTLET_B)}"
            record = {
                "title": title,
                "text": "\n\n".join(paragraphs),
                "source": outlet,
                "date": day.isoformat(),
                "url": f"https://{outlet.lower().replace(' ', '')}.example/{number}/{item}",
            }
            out.write(json.dumps(record) + "\n")
    return count


# -- the build ---------------------------------------------------------------------------------


def build(folder: Path, sentences: int, sources: Sources) -> dict[str, Any]:
    """The collection in `folder`, built or completed; its build figures."""
    from qa.config import Settings
    from qa.ingest.pipeline import Ingestor, IngestReport

    progress_path = folder / "build.json"
    progress: dict[str, Any] = (
        json.loads(progress_path.read_text()) if progress_path.is_file() else {}
    )
    settings = Settings(index_dir=folder / "index")
    embedder = ReusedEmbedder(sources)
    if progress.get("complete"):
        # A cache built by an older newsqa: what a writer brings up to date when it opens the
        # index (totals, the keyword index), as the next `newsqa ingest` would.
        Ingestor(
            settings, embedder=embedder, annotate=False, prepare_query_model=False
        ).sync_vectors()
        return progress
    if not progress:
        # The sample articles, whole and with their claims, for the known answers.
        Ingestor(settings).ingest([str(ROOT / "qa" / "samples")])
        progress = {"files": 0, "sentences": 0, "build_s": 0.0, "write_s": [], "file_sentences": []}
    ingestor = Ingestor(settings, embedder=embedder, annotate=False, prepare_query_model=False)
    inputs = folder / "input"
    inputs.mkdir(exist_ok=True)
    while progress["sentences"] < sentences:
        number = progress["files"]
        path = inputs / f"part-{number:05d}.jsonl"
        embedder.known.clear()
        embedder.prefixes.clear()
        written = write_file(path, number, sources, embedder)
        started = time.perf_counter()
        report: IngestReport = ingestor.ingest([str(path)])
        seconds = time.perf_counter() - started
        if report.failed:
            raise SystemExit(f"{path}: {report.failed[:3]}")
        path.unlink()
        progress["files"] += 1
        progress["sentences"] += written
        progress["build_s"] += seconds
        progress["write_s"].append(round(seconds, 2))
        progress["file_sentences"].append(report.sentences_added)
        progress["model_texts"] = progress.get("model_texts", 0) + embedder.model_texts
        embedder.model_texts = 0
        progress_path.write_text(json.dumps(progress))
        print(
            f"file {number}: {report.sentences_added} sentences in {seconds:.1f} s "
            f"{progress['sentences']:,} so far "
            f"{ {k: round(v, 1) for k, v in report.timings.items()} }",
            file=sys.stderr,
        )
    progress["complete"] = True
    progress_path.write_text(json.dumps(progress))
    return progress


# -- measuring --------------------------------------------------------------------------------


def measure_warm(index: Path) -> None:
    """In the asking child: every fixture question once, after a warm-up, asked as the page
    asks (no evaluation harness in the process, so its RSS is an asking process's); prints
    JSON. A question's latency counts its own ask, not the earlier turns of a follow-up."""
    from qa.assistant import Assistant
    from qa.config import Settings
    from qa.fixtures import load_cases, resolve
    from qa.library import open_library

    library = open_library(Settings(index_dir=index), today=date.fromisoformat(SAMPLE_TODAY))
    assistant = Assistant(library)
    cases = [case for case in load_cases(FIXTURES) if not case.llm_reply]
    assistant.ask(cases[0].question)  # warm-up: models, caches
    latencies: list[float] = []
    found: list[bool] = []
    for case in cases:
        filters = assistant.make_filters(
            sources=case.filters.get("sources", ()),
            since=case.filters.get("since"),
            until=case.filters.get("until"),
            article_ids=case.filters.get("article_ids", ()),
        )
        history: list[Any] = []
        for turn in case.turns[:-1]:
            history.append(assistant.ask(turn, filters=filters, history=history, mode=case.mode))
        started = time.perf_counter()
        answer = assistant.ask(case.question, filters=filters, history=history, mode=case.mode)
        latencies.append((time.perf_counter() - started) * 1000)
        if case.must_cite:
            gold = set().union(*(resolve(library.store, ref) for ref in case.must_cite))
            top = answer.citations[:3]
            found.append(
                any(
                    (c.article_id, c.sentence_index) in gold
                    or any((a, c.sentence_index) in gold for a in c.carriers)
                    for c in top
                )
            )
    print(
        json.dumps(
            {
                "warm_p50_ms": round(float(np.percentile(latencies, 50)), 1),
                "warm_p95_ms": round(float(np.percentile(latencies, 95)), 1),
                "known_answers_ok": round(sum(found) / max(1, len(found)), 3),
                "questions": len(latencies),
                "rss_mb": _own_rss_mb(),
            }
        )
    )


def child(args: list[str], env: dict[str, str]) -> tuple[float, str]:
    """Runs a child process: (wall seconds, stdout)."""
    started = time.perf_counter()
    done = subprocess.run(args, capture_output=True, env=env, text=True, check=False)
    if done.returncode:
        raise SystemExit(f"{' '.join(args[:4])} failed: {done.stderr.strip().splitlines()[-1:]}")
    return time.perf_counter() - started, done.stdout


def _own_rss_mb() -> int:
    # The peak of this process's own memory (VmHWM): getrusage's ru_maxrss would carry over the
    # parent's peak across fork and exec, and the parent holds the build's model.
    return _peak_rss_mb("self")


def _peak_rss_mb(pid: str) -> int:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"VmHWM:\s+(\d+)", status).group(1)) // 1024  # type: ignore[union-attr]


def measure(folder: Path, chroma_url: str | None) -> dict[str, Any]:
    index = folder / "index"
    env = dict(os.environ, NEWSQA_INDEX_DIR=str(index))
    if chroma_url:
        env["NEWSQA_CHROMA_URL"] = chroma_url
    python = sys.executable
    _, out = child([python, __file__, "--measure-warm", str(index)], env)
    warm = json.loads(out.strip().splitlines()[-1])
    colds = [
        child([python, "-m", "qa", "ask", question, "--index", str(index)], env)[0]
        for question in COLD_QUESTIONS
    ]
    stats_s, stats_out = child([python, "-m", "qa", "stats", "--json", "--index", str(index)], env)
    stats = json.loads(stats_out)
    return {
        "sentences": stats["sentences"],
        "articles": stats["articles"],
        "vectors": stats["vectors"],
        "sqlite_mb": round(_size(index / "newsqa.sqlite3") / 1e6),
        "chroma_mb": round(_size(index / "chroma") / 1e6),
        "cold_ms": round(statistics.median(colds) * 1000),
        "warm_p50_ms": warm["warm_p50_ms"],
        "warm_p95_ms": warm["warm_p95_ms"],
        "rss_mb": warm["rss_mb"],
        "stats_ms": round(stats_s * 1000),
        "known_answers_ok": warm["known_answers_ok"],
        "vector_mode": "server" if chroma_url else "embedded",
    }


def _size(path: Path) -> int:
    if path.is_file():
        return sum(p.stat().st_size for p in path.parent.glob(path.name + "*"))
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def serve_chroma(folder: Path) -> tuple[subprocess.Popen[bytes], str]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    chroma = shutil.which("chroma", path=str(Path(sys.executable).parent)) or "chroma"
    server = subprocess.Popen(
        [
            chroma,
            "run",
            "--path",
            str(folder / "index" / "chroma"),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(600):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return server, url
        except OSError:
            time.sleep(0.5)
    server.kill()
    raise SystemExit("the Chroma server did not start in 5 minutes")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sentences", type=int, default=40_000)
    parser.add_argument("--bbc", type=Path, default=ROOT.parent / "shared" / "corpus" / "bbc")
    parser.add_argument("--cache", type=Path, default=ROOT / "index" / "bench-scale")
    parser.add_argument("--chroma-url", help="measure through this Chroma server (same data)")
    parser.add_argument(
        "--serve-chroma",
        action="store_true",
        help="measure through a `chroma run` server on the built vectors",
    )
    parser.add_argument("--json", action="store_true", help="only the JSON line on stdout")
    parser.add_argument(
        "--build-only",
        action="store_true",
        help="build (or go on building) the cache and stop: measure later on an idle machine",
    )
    parser.add_argument("--measure-warm", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure_warm:
        measure_warm(args.measure_warm)
        return
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    folder = args.cache / str(args.sentences)
    folder.mkdir(parents=True, exist_ok=True)
    sources = Sources(args.bbc, args.cache)
    built = build(folder, args.sentences, sources)
    if args.build_only:
        # A long build can run at low priority beside other work; its timings are then not
        # comparable, but the measuring run that follows on an idle machine is.
        print(json.dumps({"built": str(folder), "build_s": round(built["build_s"])}))
        return
    server = None
    url = args.chroma_url
    if args.serve_chroma:
        server, url = serve_chroma(folder)
    try:
        result = measure(folder, url)
        if server is not None:  # what the vectors cost where they are held
            result["server_rss_mb"] = _peak_rss_mb(str(server.pid))
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=60)
    first = built["write_s"][:3]
    last = built["write_s"][-3:]
    per_10k = lambda times, counts: round(sum(times) / max(1, sum(counts)) * 10_000, 2)  # noqa: E731
    result |= {
        "build_s": round(built["build_s"]),
        "write_s_per_10k_first": per_10k(first, built["file_sentences"][:3]),
        "write_s_per_10k_last": per_10k(last, built["file_sentences"][-3:]),
        "disk_mb": result["sqlite_mb"] + result["chroma_mb"],
        "model_texts": built.get("model_texts", 0),
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
