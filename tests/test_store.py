import json
import sqlite3
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing
from dataclasses import replace
from pathlib import Path

import pytest

from qa.errors import IndexMismatchError, StoreError
from qa.store import ArticleSummary, SourceRef, Store
from tests.helpers import make_article

WIRE = [
    "The Halcyon-3 rocket lifted off from the Tarven coast at dawn on Monday.",
    "Mission controllers said all four satellites separated as planned after launch.",
    "The launch was delayed twice last week because of strong winds over the pad.",
]


def ref(key: str, container: str | None = None) -> SourceRef:
    return SourceRef(key=key, origin=key, container=container or key)


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store.open(tmp_path / "s.sqlite3")


def test_saved_article_reads_back_with_sentences_and_offsets(store: Store) -> None:
    article = make_article("First fact here.\n\nSecond fact, in a new paragraph.")
    (result,), orphans = store.save_container("a", "h1", [(ref("a"), article)], drop_missing=True)
    assert (result.outcome, orphans) == ("added", [])
    back = store.article(article.id)
    assert back is not None
    assert [s.text for s in back.sentences] == [
        "First fact here.",
        "Second fact, in a new paragraph.",
    ]
    assert [s.paragraph for s in back.sentences] == [0, 1]
    assert all(back.text[s.start : s.end] == s.text for s in back.sentences)
    assert back.sources == ("a",)


def test_exact_duplicate_is_stored_once_with_both_sources(store: Store) -> None:
    article = make_article("Same text in two files.")
    store.save_container("a", "h", [(ref("a"), article)], drop_missing=True)
    (result,), _ = store.save_container("b", "h", [(ref("b"), article)], drop_missing=True)
    assert result.outcome == "duplicate"
    assert store.stats().articles == 1
    back = store.article(article.id)
    assert back is not None and set(back.sources) == {"a", "b"}


def test_changed_source_replaces_its_article_and_queues_vector_delete(store: Store) -> None:
    old = make_article("The river rose two metres.")
    new = make_article("The river rose three metres, officials corrected.")
    store.save_container("a", "h1", [(ref("a"), old)], drop_missing=True)
    store.mark_indexed([old.id])
    (result,), orphans = store.save_container("a", "h2", [(ref("a"), new)], drop_missing=True)
    assert result.outcome == "updated" and orphans == [old.id]
    assert store.article(old.id) is None
    assert store.pending_vector_deletes() == [old.id]
    assert store.unindexed_article_ids() == [new.id]
    # the lexical index forgot the old sentence
    assert [hit[0] for hit in store.lexical_search("two")] == []
    assert [hit[0] for hit in store.lexical_search("corrected")] == [new.id]


def test_item_dropped_from_a_file_is_removed_but_not_from_a_feed(store: Store) -> None:
    one, two = make_article("Item one text."), make_article("Item two text.")
    both = [(ref("f#1", "f"), one), (ref("f#2", "f"), two)]
    store.save_container("f", "h1", both, drop_missing=True)
    _, orphans = store.save_container("f", "h2", both[:1], drop_missing=True)
    assert orphans == [two.id]
    store.save_container("feed", "h1", [(ref("feed#2", "feed"), two)], drop_missing=False)
    _, orphans = store.save_container("feed", "h2", [], drop_missing=False)
    assert orphans == [] and store.article(two.id) is not None


def test_near_duplicate_wire_copies_are_linked(store: Store) -> None:
    first = make_article("\n\n".join(WIRE), title="Rocket launches")
    second = make_article(
        "\n\n".join(["Tarven celebrated its first orbital launch from home soil today."] + WIRE),
        title="Halcyon-3 reaches orbit",
    )
    unrelated = make_article(
        "The city council approved the new tram budget after a long debate on Monday night."
    )
    for n, article in enumerate([first, second, unrelated]):
        store.save_container(str(n), "h", [(ref(str(n)), article)], drop_missing=True)
    assert store.near_duplicates(first.id) == [(second.id, 1.0)]
    assert store.near_duplicates(second.id) == [(first.id, 1.0)]
    assert store.near_duplicates(unrelated.id) == []


def test_wire_copies_form_one_group_with_one_link_each_that_outlives_its_first(
    store: Store,
) -> None:
    copies = [
        make_article("\n\n".join([f"Copy {n} of the story, as outlet {n} ran it today."] + WIRE),
                     title=f"Halcyon-3 reaches orbit ({n})")
        for n in range(6)
    ]  # fmt: skip
    for n, article in enumerate(copies):
        store.save_container(str(n), "h", [(ref(str(n)), article)], drop_missing=True)
    ids = [a.id for a in copies]
    for article_id in ids:  # every copy knows every other, through the group's first
        assert {other for other, _ in store.near_duplicates(article_id)} == set(ids) - {article_id}
    assert store.stats().wire_copies_linked == 5  # one link a copy, not one a pair (15)
    # The group's first article leaves; the others stay one group.
    store.save_container("0", "h2", [], drop_missing=True)
    for article_id in ids[1:]:
        assert {o for o, _ in store.near_duplicates(article_id)} == set(ids[1:]) - {article_id}
    assert store.stats().wire_copies_linked == 4


def test_an_index_that_linked_every_pair_of_copies_is_regrouped_when_opened_to_write(
    tmp_path: Path,
) -> None:
    store = Store.open(tmp_path / "s.sqlite3")
    copies = [make_article("\n\n".join([f"Copy {n} ran with its own opening line."] + WIRE))
              for n in range(4)]  # fmt: skip
    for n, article in enumerate(copies):
        store.save_container(str(n), "h", [(ref(str(n)), article)], drop_missing=True)
    ids = [a.id for a in copies]
    with store.transaction():  # as the store wrote them before groups: every pair, both ways
        store._db.run("DELETE FROM article_links")
        store._db.run_many(
            "INSERT INTO article_links VALUES (?, ?, 'near_duplicate', 1.0)",
            [(a, b) for a in ids for b in ids if a != b],
        )
        store._db.run("DELETE FROM meta WHERE key = 'wire_links'")
    store.close()
    reader = Store.open(tmp_path / "s.sqlite3", create=False)  # reading changes nothing
    assert reader.stats().wire_copies_linked == 12
    assert {o for o, _ in reader.near_duplicates(ids[2])} == set(ids) - {ids[2]}
    reader.close()
    writer = Store.open(tmp_path / "s.sqlite3")
    assert writer.stats().wire_copies_linked == 3
    for article_id in ids:
        assert {o for o, _ in writer.near_duplicates(article_id)} == set(ids) - {article_id}


def test_short_common_sentences_do_not_make_near_duplicates(store: Store) -> None:
    a = make_article("He said no. Talks failed. The storm hit the north coast hard on Friday.")
    b = make_article("He said no. Talks failed. Shares in the airline fell sharply at the open.")
    store.save_container("a", "h", [(ref("a"), a)], drop_missing=True)
    store.save_container("b", "h", [(ref("b"), b)], drop_missing=True)
    assert store.near_duplicates(a.id) == []


def test_lexical_search_ranks_with_bm25_and_ignores_query_syntax(store: Store) -> None:
    a = make_article("The ceasefire held along the northern border on Sunday.")
    b = make_article("Flood waters receded in the harbour district.")
    for key, article in (("a", a), ("b", b)):
        store.save_container(key, "h", [(ref(key), article)], drop_missing=True)
    hits = store.lexical_search('ceasefire AND "border" NEAR( OR *')
    assert hits[0][:2] == (a.id, 0) and hits[0][2] > 0
    assert store.lexical_search("?!") == []


def test_listing_is_newest_first_as_plain_records(store: Store) -> None:
    old = make_article("An older report on the harbour.", title="Old", published="2026-03-01")
    new = make_article("A newer report on the harbour.", title="New", published="2026-03-02")
    undated = make_article("A report without a date.", title="Undated")
    for key, article in (("o", old), ("n", new), ("u", undated)):
        store.save_container(key, "h", [(ref(key), article)], drop_missing=True)
    assert store.list_articles() == [
        ArticleSummary(new.id, "New", None, new.published, 1),
        ArticleSummary(old.id, "Old", None, old.published, 1),
        ArticleSummary(undated.id, "Undated", None, None, 1),
    ]
    assert [s.id for s in store.list_articles(limit=1)] == [new.id]


def test_failed_transaction_leaves_nothing(store: Store) -> None:
    good = make_article("A good article.")
    with pytest.raises(RuntimeError), store.transaction():
        store._insert_article(good)
        raise RuntimeError("killed mid-write")
    assert store.stats().articles == 0 and store.stats().sentences == 0


def test_one_store_shared_by_threads_loses_nothing_and_fails_nowhere(tmp_path: Path) -> None:
    # The page shares one Store between visitors' threads: readers, two ingests and the vector
    # bookkeeping at once. Without the store's lock one thread's BEGIN lands inside another's
    # transaction ("cannot start a transaction within a transaction"), or its COMMIT ends it.
    store = Store.open(tmp_path / "s.sqlite3", lock=threading.RLock())
    writers, per_writer = 2, 20
    saving = threading.Event()

    def write(w: int) -> None:
        for n in range(per_writer):
            article = make_article(
                f"Harbour flood report {w}-{n} from the quay. Pumps ran all night long at the "
                f"dock {n}. Residents {w} were moved to the school hall on the hill."
            )
            store.save_container(f"{w}-{n}", "h", [(ref(f"{w}-{n}"), article)], drop_missing=True)

    def read() -> None:
        while saving.is_set():
            for article_id, index, _ in store.lexical_search("harbour flood pumps", limit=20):
                article = store.article(article_id)
                assert article is not None and len(article.sentences) == 3
                assert store.sentence_texts([(article_id, index)])
            store.stats()
            store.list_articles(limit=5)

    def mark() -> None:
        while saving.is_set():
            store.mark_indexed(store.unindexed_article_ids())

    with ThreadPoolExecutor(max_workers=5) as pool:
        saving.set()
        background = [pool.submit(read), pool.submit(read), pool.submit(mark)]
        try:
            for saved in [pool.submit(write, w) for w in range(writers)]:
                saved.result()  # raises what the thread raised
        finally:
            saving.clear()
        for done in background:
            done.result()
    assert store.article_count() == writers * per_writer
    assert store.sentence_count() == writers * per_writer * 3
    store.mark_indexed(store.unindexed_article_ids())
    assert store.stats().unindexed == 0


def test_every_statement_holds_the_lock_the_store_was_given(tmp_path: Path) -> None:
    lock = threading.RLock()  # the application's one lock
    store = Store.open(tmp_path / "s.sqlite3", lock=lock)
    with ThreadPoolExecutor(max_workers=1) as pool:
        with lock:
            counted = pool.submit(store.article_count)
            time.sleep(0.2)
            assert not counted.done()  # waiting for the lock this thread holds
        assert counted.result(timeout=10) == 0


def test_embedding_model_is_bound_to_the_index(store: Store) -> None:
    store.bind_embedding_model("model-a")
    store.bind_embedding_model("model-a")
    with pytest.raises(IndexMismatchError, match="built with embedding model 'model-a'"):
        store.bind_embedding_model("model-b")


def test_opening_a_missing_index_without_create_says_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="newsqa ingest"):
        Store.open(tmp_path / "nothing" / "s.sqlite3", create=False)


def test_a_file_that_is_not_sqlite_is_a_clear_error(tmp_path: Path) -> None:
    bogus = tmp_path / "s.sqlite3"
    bogus.write_bytes(b"this is not a database" * 100)
    with pytest.raises(StoreError, match="cannot open the store"):
        Store.open(bogus)


def test_the_article_store_neither_makes_nor_needs_the_pages_tables(tmp_path: Path) -> None:
    from qa.conversations import Conversations
    from qa.feedback import FeedbackLog

    path = tmp_path / "s.sqlite3"
    Store.open(path).close()
    assert not {"feedback", "conversations"} & _tables(path)
    # Once the page's modules have added theirs (as every index made before had them), the
    # article store still opens it, at the same schema version.
    Conversations(path).close()
    FeedbackLog(path).close()
    assert {"feedback", "conversations"} <= _tables(path)
    reopened = Store.open(path, create=False)
    assert reopened.get_meta("schema_version") == "1" and reopened.article_count() == 0


def test_the_pages_modules_name_a_file_that_is_not_sqlite(tmp_path: Path) -> None:
    from qa.conversations import Conversations
    from qa.feedback import FeedbackLog

    bogus = tmp_path / "s.sqlite3"
    bogus.write_bytes(b"this is not a database" * 100)
    for opener in (Conversations, FeedbackLog):
        with pytest.raises(StoreError, match="cannot open the store"):
            opener(bogus)


def _tables(path: Path) -> set[str]:
    with closing(sqlite3.connect(path)) as db:
        return {str(r[0]) for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}


def test_outlets_are_counted_as_articles_come_and_go(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "s.sqlite3")
    a = make_article("The harbour reopened on Monday after the storm.", outlet="Harbour Daily")
    b = make_article("Schools stay shut for a third day in Port Elara.", outlet="Northgate Herald")
    c = make_article("A third report without an outlet named anywhere in it.")
    for n, article in enumerate([a, b, c]):
        store.save_container(str(n), "h", [(ref(str(n)), article)], drop_missing=True)
    assert store.outlets() == ["Harbour Daily", "Northgate Herald"]
    store.save_container("1", "h2", [], drop_missing=True)  # the Herald's only article goes
    assert store.outlets() == ["Harbour Daily"]
    assert dict(store.stats().outlets) == {"Harbour Daily": 1, "(unknown)": 1}
    # An index from before the counts: read by scanning, counted when next opened to write.
    with store.transaction():
        store._db.run("DELETE FROM outlets")
        store._db.run("DELETE FROM meta WHERE key = 'outlets_counted'")
    store.close()
    assert Store.open(tmp_path / "s.sqlite3", create=False).outlets() == ["Harbour Daily"]
    writer = Store.open(tmp_path / "s.sqlite3")
    assert writer.get_meta("outlets_counted") == "1" and writer.outlets() == ["Harbour Daily"]


def test_a_full_disk_during_a_commit_is_one_clear_error_and_keeps_what_was_stored(
    tmp_path: Path,
) -> None:
    from qa.errors import StoreError

    store = Store.open(tmp_path / "s.sqlite3")
    kept = make_article("The harbour reopened on Monday after the storm had passed.")
    store.save_container("a", "h", [(ref("a"), kept)], drop_missing=True)
    pages = store._db.value("PRAGMA page_count")
    store._db.run(f"PRAGMA max_page_count = {pages + 2}")  # the disk fills up mid-article
    big = make_article("\n\n".join(f"Paragraph {n} of a long report on the flood." * 20
                                   for n in range(200)))  # fmt: skip
    with pytest.raises(StoreError, match="the disk is full: free space") as raised:
        store.save_container("b", "h", [(ref("b"), big)], drop_missing=True)
    assert "\n" not in str(raised.value)
    assert store.article_ids() == [kept.id]
    assert store.article(kept.id) is not None and store.stats().sentences == 1


def test_totals_are_kept_as_articles_come_and_go_and_counted_once_for_older_indexes(
    tmp_path: Path,
) -> None:
    from qa.types import RemovedText

    store = Store.open(tmp_path / "s.sqlite3")
    a = make_article("First line of one. Second line of one.", published="2026-03-01")
    b = make_article("Only line of two.", published="2026-03-09")
    b = replace(b, removed=(RemovedText("Photo: Agency", "credit"),
                            RemovedText("Read more", "teaser")))  # fmt: skip
    for n, article in enumerate([a, b]):
        store.save_container(str(n), "h", [(ref(str(n)), article)], drop_missing=True)

    def scanned() -> tuple[int, int, int]:
        one = store._db.value
        removed = sum(len(json.loads(r[0])) for r in store._db.rows("SELECT removed FROM articles"))
        return one("SELECT COUNT(*) FROM articles"), one("SELECT COUNT(*) FROM sentences"), removed

    stats = store.stats()
    assert (stats.articles, stats.sentences, stats.removed_pieces) == scanned() == (2, 3, 2)
    assert (stats.first_published, stats.last_published) == ("2026-03-01", "2026-03-09")
    store.save_container("1", "h2", [], drop_missing=True)  # the second article goes
    stats = store.stats()
    assert (stats.articles, stats.sentences, stats.removed_pieces) == scanned() == (1, 2, 0)
    assert store.sentence_count() == 2 and store.article_count() == 1
    # An index from before the totals: read by counting, counted when next opened to write.
    with store.transaction():
        store._db.run("DELETE FROM totals")
        store._db.run("DELETE FROM meta WHERE key = 'totals_counted'")
    store.close()
    assert Store.open(tmp_path / "s.sqlite3", create=False).stats().sentences == 2
    writer = Store.open(tmp_path / "s.sqlite3")
    assert writer.get_meta("totals_counted") == "1" and writer.sentence_count() == 2


def test_filter_share_is_read_from_counts_kept_in_indexes(store: Store) -> None:
    from qa.types import Filters

    dated = [("2026-03-01", "Harbour Daily"), ("2026-03-05", "Harbour Daily"),
             ("2026-03-09T10:00:00+00:00", "Valley Post"), (None, "Valley Post")]  # fmt: skip
    for n, (day, outlet) in enumerate(dated):
        meta = {"outlet": outlet} | ({"published": day} if day else {})
        article = make_article(f"Story number {n} is told here.", **meta)
        store.save_container(str(n), "h", [(ref(str(n)), article)], drop_missing=True)
    assert store.filter_share(Filters(sources=("Harbour Daily",))) == 0.5
    assert store.filter_share(Filters(since="2026-03-02")) == 0.5
    assert store.filter_share(Filters(until="2026-03-09")) == 0.75  # the whole last day
    assert store.filter_share(Filters(since="2026-03-02", sources=("Valley Post",))) == 0.25
    assert store.filter_share(Filters(article_ids=("x",))) == 0.25
    # The sentences a filter allows, listed when there are few enough.
    ids = {a.published: a.id for a in store.list_articles()}
    allowed = store.allowed_sentences(Filters(until="2026-03-09"), limit=10)
    assert allowed is not None
    assert {article_id for article_id, _ in allowed} == {ids[day] for day in ids if day is not None}
    assert store.allowed_sentences(Filters(since="2026-03-06"), limit=10) == [
        (ids["2026-03-09T10:00:00+00:00"], 0)
    ]
    assert store.allowed_sentences(Filters(sources=("Valley Post",)), limit=1) is None


def test_removed_articles_take_their_sentences_sources_and_unshared_claims(store: Store) -> None:
    from qa.claims import Claims

    only_a = "The harbour wall was raised by two metres after the March flood."
    a = make_article(f"{WIRE[0]}\n\n{only_a}", title="A")
    b = make_article(f"{WIRE[0]}\n\nA separate line that only the second story carries today.")
    store.save_container("feed", "h", [(ref("feed#1", "feed"), a)], drop_missing=False)
    store.save_container("b.txt", "h", [(ref("b.txt"), b)], drop_missing=True)
    store.mark_indexed([a.id, b.id])
    store.save_claims("v", [(WIRE[0], Claims()), (only_a, Claims())])
    assert store.remove_articles([a.id, a.id]) == ["feed"]  # the feed holds nothing else now
    assert store.article(a.id) is None and store.article(b.id) is not None
    assert store.sentence_count() == len(store.sentences(b.id))
    assert set(store.claims_of([WIRE[0], only_a])) == {WIRE[0]}  # b still says WIRE[0]
    assert store.pending_vector_deletes() == [a.id]
    assert store.container_hash("feed") is None  # read again if ingested again
