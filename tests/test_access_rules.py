"""Roles and collection access an admin sets on the page, merged with the settings'."""

from __future__ import annotations

from pathlib import Path

import pytest

from qa.access import CollectionAccess, readable
from qa.access_rules import AccessRules, merged
from qa.config import Settings
from qa.errors import CollectionError
from qa.serving import Role
from qa.store import Store


@pytest.fixture
def rules(settings: Settings) -> AccessRules:
    settings.index_dir.mkdir(parents=True, exist_ok=True)
    Store.open(settings.store_path).close()
    return AccessRules(settings.store_path)


def test_roles_given_on_the_page_add_to_the_settings_and_can_be_taken_back(
    settings: Settings, rules: AccessRules
) -> None:
    rules.set_role(" Ben@Example.org ", Role.EDITOR)
    rules.set_role("cy@example.org", Role.ADMIN)
    fixed = settings.model_copy(update={"admins": ("ana@example.org",)})
    admins, editors, _ = merged(fixed, rules)
    assert admins == ("ana@example.org", "cy@example.org") and editors == ("ben@example.org",)
    rules.set_role("ben@example.org", None)
    assert rules.roles() == {"cy@example.org": Role.ADMIN}
    with pytest.raises(CollectionError, match="not an e-mail"):
        rules.set_role("two words", Role.EDITOR)


def test_collection_access_set_on_the_page_restricts_what_the_settings_leave_open(
    settings: Settings, rules: AccessRules
) -> None:
    rules.set_collection("Metro", readers=["ana@example.org", ""], editors=["ben@example.org"])
    rules.set_collection("wire", readers=[], editors=["ben@example.org"])  # its editor alone
    fixed = settings.model_copy(
        update={"collections": {"wire": CollectionAccess(readers=("dan@example.org",))}}
    )
    _, _, access = merged(fixed, rules)
    assert access["metro"] == CollectionAccess(readers=("ana@example.org",),
                                               editors=("ben@example.org",))  # fmt: skip
    # The page adds to what the settings restrict, and an editor alone widens nothing.
    assert access["wire"] == CollectionAccess(readers=("dan@example.org",),
                                              editors=("ben@example.org",))  # fmt: skip
    every = ["metro", "news", "wire"]
    assert readable(access, ["cy@example.org"], Role.READER, every) == ["news"]
    assert readable(access, ["ben@example.org"], Role.READER, every) == ["metro", "news", "wire"]
    rules.set_collection("metro", readers=[], editors=[])
    assert "metro" not in rules.collections()
    with pytest.raises(CollectionError):
        rules.set_collection("../x", readers=["*"], editors=[])


def test_rules_need_an_index(tmp_path: Path) -> None:
    from qa.errors import NewsqaError

    with pytest.raises(NewsqaError):
        AccessRules(tmp_path / "missing" / "newsqa.sqlite3")


def test_saving_the_open_defaults_leaves_no_rule(rules: AccessRules) -> None:
    # "Everyone reads, no editor named" is a collection nobody restricts: its page editors
    # keep editing it (a stored rule would have named no editor at all).
    rules.set_collection("news", readers=["*"], editors=[])
    assert rules.collections() == {}
