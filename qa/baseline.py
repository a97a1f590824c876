"""The comparison row of `newsqa eval --baseline`: a plain LlamaIndex pipeline.

The same articles (their clean text, from our store), LlamaIndex's default `SentenceSplitter`
(1,024-token chunks, 200 overlap), the same embedding model, an in-memory `VectorStoreIndex`,
and the top 3 chunks as the "citations" — what a user of the framework gets out of the box.
It is scored on the same fixture cases: a chunk counts as citing the gold sentence when it
contains it; `evidence_precision` is the share of cited sentences that are gold sentences;
`cited_chars_per_answer` is how much text a reader must check.

    row = run_baseline(settings.store_path, settings.embedding, cases)   # {"hit@1": ...}
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from qa.embed import resolve_model_path
from qa.fixtures import Case, resolve
from qa.store import Store

if TYPE_CHECKING:
    from qa.config import EmbeddingConfig
    from qa.store import ArticleReader

TOP_K = 3


def run_baseline(
    store_path: Path, embedding: EmbeddingConfig, cases: Sequence[Case]
) -> dict[str, float]:
    from llama_index.core import Document, VectorStoreIndex
    from llama_index.core.node_parser import SentenceSplitter
    from llama_index.embeddings.huggingface import HuggingFaceEmbedding

    store = Store.open(store_path, create=False)
    documents = []
    for article_id in store.article_ids():
        article = store.article(article_id, with_sentences=False)
        if article is not None:
            documents.append(Document(text=article.text, id_=article.id))
    # Passed through to SentenceTransformer: loaded by path, never from the hub.
    embed_model = HuggingFaceEmbedding(
        model_name=str(resolve_model_path(embedding.model)), device="cpu", local_files_only=True
    )
    nodes = SentenceSplitter().get_nodes_from_documents(documents)
    index = VectorStoreIndex(nodes, embed_model=embed_model, show_progress=False)
    retriever = index.as_retriever(similarity_top_k=TOP_K)

    answerable = [c for c in cases if not c.abstain and c.must_cite]
    hits1 = hits3 = 0
    reciprocal = 0.0
    gold_cited = sentences_cited = chars = 0
    for case in answerable:
        gold = set().union(*(resolve(store, r) for r in case.must_cite))
        spans = {(a, *store.sentence_span(a, i)) for a, i in gold}
        found = retriever.retrieve(case.question)
        ranks = [n for n, hit in enumerate(found) if _contains_any(hit.node, spans)]
        hits1 += bool(ranks and ranks[0] == 0)
        hits3 += bool(ranks)
        reciprocal += 1 / (ranks[0] + 1) if ranks else 0.0
        for hit in found:
            inside = _sentences_inside(store, hit.node)
            sentences_cited += len(inside)
            gold_cited += len(inside & gold)
            chars += len(hit.node.get_content())
    count = len(answerable) or 1
    unanswerable = [c for c in cases if c.abstain]
    return {
        "cases": float(len(cases)),
        "hit@1": hits1 / count,
        "hit@3": hits3 / count,
        "mrr": reciprocal / count,
        "evidence_precision": gold_cited / sentences_cited if sentences_cited else 0.0,
        "abstention_accuracy": 0.0 if unanswerable else float("nan"),  # it never abstains
        "false_abstention": 0.0,
        "cited_chars_per_answer": chars / count,
    }


def _contains_any(node: Any, spans: set[tuple[str, int, int]]) -> bool:
    start, end = node.start_char_idx, node.end_char_idx
    if start is None or end is None:
        return False
    return any(a == node.ref_doc_id and start <= s and e <= end for a, s, e in spans)


def _sentences_inside(store: ArticleReader, node: Any) -> set[tuple[str, int]]:
    start, end = node.start_char_idx, node.end_char_idx
    if start is None or end is None:
        return set()
    return {
        (s.article_id, s.index)
        for s in store.sentences(node.ref_doc_id)
        if start <= s.start and s.end <= end
    }
