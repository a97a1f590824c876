"""What the page says while it adds articles: each stage with its counts."""

from __future__ import annotations

from qa.ingest.uploads import stage_label


def test_each_stage_of_an_addition_is_said_with_its_counts() -> None:
    assert stage_label("ferry.txt", 0, 1, "read", 0, 0) == "ferry.txt: reading and cleaning"
    assert (
        stage_label("ferry.txt", 1, 3, "embed", 1200, 4000)
        == "ferry.txt (2 of 3): embedding 1,200 of 4,000 sentences"
    )
    assert stage_label("a.txt", 0, 1, "annotate", 512, 0) == (
        "a.txt: reading names and figures (512 sentences)"
    )
