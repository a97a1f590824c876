import pytest

from qa.ingest.dates import parse_published


@pytest.mark.parametrize(
    ("raw", "iso"),
    [
        ("2026-03-04", "2026-03-04"),
        ("March 5, 2026", "2026-03-05"),
        ("5 March 2026", "2026-03-05"),
        ("Tue, 10 Mar 2026 09:30:00 +0000", "2026-03-10T09:30:00+00:00"),
        ("2026-03-04T10:00:00Z", "2026-03-04T10:00:00+00:00"),
        ("2026-03-04T10:00:00+02:00", "2026-03-04T10:00:00+02:00"),
        ("March 2026", "2026-03"),
        ("2026", "2026"),
        ("Thursday", None),
        ("unknown", None),
        ("2004-2005 (exact date not in the dataset)", None),
        ("", None),
        (None, None),
    ],
)
def test_publish_dates_become_iso_or_none(raw: str | None, iso: str | None) -> None:
    assert parse_published(raw) == iso
