"""Looking into an index: collection statistics and one article with its sentence numbers."""

from __future__ import annotations

import textwrap
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from qa.config import ChromaConfig, index_store_path
from qa.errors import NewsqaError
from qa.quotes import joined
from qa.store import Store
from qa.types import Article

if TYPE_CHECKING:
    from qa.claims import Claims


# An embedded Chroma reads its whole vector index into memory to count it (3 s and 2 GB at a
# million sentences, measured with scripts/bench_scale.py): past this many sentences the count
# is made only when asked for (`newsqa stats --vectors`). A Chroma server counts at no cost.
COUNT_VECTORS_UP_TO = 200_000


def collection_stats(
    index_dir: Path, chroma: ChromaConfig, *, count_vectors: bool | None = None
) -> dict[str, Any]:
    """What an index holds: `collection_stats(settings.index_dir, settings.chroma)`. The
    vectors are counted when `count_vectors` says so; by default, when that is cheap, and
    otherwise `vectors` is None."""
    store = Store.open(index_store_path(index_dir), create=False)
    stats = store.stats()
    data: dict[str, Any] = {
        "index": str(index_dir),
        "articles": stats.articles,
        "sentences": stats.sentences,
        "sources": stats.sources,
        "wire_copies_linked": stats.wire_copies_linked,
        "removed_boilerplate_pieces": stats.removed_pieces,
        "first_published": stats.first_published,
        "last_published": stats.last_published,
        "not_yet_embedded": stats.unindexed,
        "embedding_model": store.get_meta("embedding_model"),
        "store_bytes": stats.size_bytes,
        # Served from a read-only mount or copy: asked as it is, nothing can be added.
        "read_only": store.read_only,
    }
    if chroma.url:
        data["vector_index"] = chroma.url
    else:
        data["vector_index_bytes"] = _folder_size(chroma.path)
    data["keyword_index_bytes"] = _folder_size(index_dir / "keywords")
    if count_vectors is None:
        # Counting costs seconds past this size: an embedded Chroma loads every vector to count
        # them, and even a server's count needs the chromadb client imported (0.7 s of 1 s).
        count_vectors = stats.sentences <= COUNT_VECTORS_UP_TO
    if count_vectors:
        from qa.index import VectorIndex

        data["vectors"] = VectorIndex.open(chroma).count()
    else:
        data["vectors"] = None
    data["outlets"] = dict(stats.outlets)
    return data


def find_article(index_dir: Path, id_or_prefix: str) -> tuple[Article, list[tuple[str, float]]]:
    """An article by id or unique prefix, and its near-duplicates: (article, [(id, overlap)])."""
    store = Store.open(index_store_path(index_dir), create=False)
    article = store.article(resolve_article_id(store, id_or_prefix, index_dir))
    assert article is not None  # found by id a moment ago, in the same connection
    return article, store.near_duplicates(article.id)


def resolve_article_id(store: Store, given: str, index_dir: Path) -> str:
    """The one article id `given` names: an id, or a prefix of exactly one (as with git)."""
    prefix = given.strip()
    matches = store.find_article_ids(prefix) if prefix else []
    if not matches:
        raise NewsqaError(f"no article {given!r} in {index_dir}: see 'newsqa list'")
    if len(matches) > 1 and matches[0] != prefix:
        raise NewsqaError(
            f"{given!r} matches {len(matches)} articles ({', '.join(matches[:3])}, ...): "
            "give more of the id"
        )
    return matches[0]


def article_claims(index_dir: Path, article_id: str) -> dict[int, Claims]:
    """The claims of each annotated sentence of an article, by sentence index, quotes joined
    to their speakers (`qa.quotes`)."""
    store = Store.open(index_store_path(index_dir), create=False)
    sentences = store.sentences(article_id)
    return joined(sentences, store.claims_of(s.text for s in sentences))


SHOWN_COPIES = 20


def render_article(
    article: Article,
    duplicates: list[tuple[str, float]],
    *,
    with_removed: bool,
    claims: dict[int, Claims] | None = None,
) -> str:
    lines = [
        article.title or "(untitled)",
        f"id: {article.id}",
        f"outlet: {article.outlet or '-'}   author: {article.author or '-'}",
        f"published: {article.published or '-'}"
        + (f"   (as written: {article.published_raw})" if article.published_raw else ""),
        f"url: {article.url or '-'}",
        "sources: " + "; ".join(article.sources or (article.origin,)),
    ]
    for other, overlap in duplicates[:SHOWN_COPIES]:
        lines.append(f"near-duplicate of {other} ({overlap:.0%} of sentences shared)")
    if len(duplicates) > SHOWN_COPIES:  # a story copied thousands of times
        lines.append(f"... and {len(duplicates) - SHOWN_COPIES} more near-duplicates (--json)")
    lines.append("")
    paragraph = 0
    for sentence in article.sentences:
        if sentence.paragraph != paragraph:
            lines.append("")
            paragraph = sentence.paragraph
        lines.append(
            textwrap.fill(
                sentence.text, width=100, initial_indent=f"[{sentence.index}] ",
                subsequent_indent="    ",
            )
        )  # fmt: skip
        if claims is not None:
            lines += _claim_lines(claims.get(sentence.index), _published(article.published))
    if with_removed:
        lines += ["", f"removed as boilerplate ({len(article.removed)}):"]
        lines += [f"  - [{r.reason}] {r.text}" for r in article.removed] or ["  (nothing)"]
    return "\n".join(lines)


def _published(published: str | None) -> date | None:
    try:
        return date.fromisoformat(published[:10]) if published else None
    except ValueError:
        return None


def _claim_lines(claims: Claims | None, published: date | None) -> list[str]:
    from qa.dating import date_said

    if claims is None:
        return ["      (not annotated yet: run 'newsqa ingest' again)"]
    lines = []
    if claims.mentions:
        lines.append("      names: " + "; ".join(
            f"{m.text} ({m.kind}{': ' + m.role_text if m.role_text else ''})"
            for m in claims.mentions
        ))  # fmt: skip
    for f in claims.figures:
        amount = f"{f.text}%" if f.unit == "%" else f"{f.unit or ''}{f.text}"
        noun = f" {f.counts}" if f.counts and f.counts != "%" else ""
        bound = f" [{f.verb}]" if f.verb else ""
        lines.append(f"      figure: {'not ' if f.negated else ''}{amount}{noun}{bound}")
    for m in claims.mentions:
        if m.kind == "date":
            found = date_said(m, published)
            day = found.day.isoformat() if found else ("undated article" if published is None
                                                       else "no day")  # fmt: skip
            lines.append(f"      date: {m.text} [{m.tense or '?'}] -> {day}")
    for st in claims.statements:
        aimed = f" -> {st.target}" if st.target else ""
        said = f": {st.content}" if st.content else ""
        lines.append(f"      statement: {st.speaker} {'not ' if st.negated else ''}{st.verb}"
                     f"{aimed}{said}")  # fmt: skip
    return lines


def _folder_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) if path.exists() else 0
