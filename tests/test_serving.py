"""The page listens on this machine only unless told otherwise, and says so when it is."""

from __future__ import annotations

from pathlib import Path

import pytest

from qa.serving import (
    Role,
    SignIn,
    exposure_warning,
    oidc_reader,
    proxy_reader,
    role_of,
    sign_in_mode,
)
from tests.helpers import serving


@pytest.mark.parametrize("address", ["127.0.0.1", "localhost", "::1", "127.0.0.2", "[::1]"])
def test_loopback_addresses_need_no_warning(address: str) -> None:
    assert exposure_warning(address) is None


@pytest.mark.parametrize("address", ["0.0.0.0", "::", "", None, "192.168.1.20", "news.example"])
def test_any_other_address_is_warned_about(address: str | None) -> None:
    warning = exposure_warning(address)
    assert warning is not None and "without sign-in" in warning
    assert (address or "every interface") in warning


@pytest.mark.parametrize("mode", [SignIn.OIDC, SignIn.PROXY])
def test_a_page_with_sign_in_may_listen_anywhere(mode: SignIn) -> None:
    assert exposure_warning("0.0.0.0", mode) is None


def test_sign_in_comes_from_the_provider_then_the_proxy_then_this_machine() -> None:
    assert sign_in_mode(oidc=True, trusted_header="X-Forwarded-Email") is SignIn.OIDC
    assert sign_in_mode(oidc=False, trusted_header="X-Forwarded-Email") is SignIn.PROXY
    assert sign_in_mode(oidc=False, trusted_header=None) is SignIn.LOCAL


def test_readers_are_named_by_how_they_signed_in() -> None:
    assert oidc_reader("248289761001", "a@example.org") == "oidc:248289761001"
    assert oidc_reader(None, "a@example.org") == "oidc:a@example.org"
    assert oidc_reader("", None) is None
    assert proxy_reader(" alice@example.org ") == "proxy:alice@example.org"


@pytest.mark.parametrize("value", [None, "", "a, b", "alice\r\nSet-Cookie: x", "x" * 400])
def test_a_proxy_header_naming_nobody_usable_is_refused(value: str | None) -> None:
    assert proxy_reader(value) is None


def test_roles_come_from_the_settings_lists_and_the_local_reader_owns_the_page() -> None:
    lists = {"admins": ["Root@Example.org"], "editors": ["ed@example.org", "248289761001"]}
    assert role_of(SignIn.OIDC, ["root@example.org", "1"], **lists) is Role.ADMIN
    assert role_of(SignIn.OIDC, [None, "248289761001"], **lists) is Role.EDITOR
    assert role_of(SignIn.PROXY, ["ed@example.org"], **lists) is Role.EDITOR
    assert role_of(SignIn.OIDC, ["reader@example.org", None], **lists) is Role.READER
    assert role_of(SignIn.PROXY, [None], **lists) is Role.READER
    assert role_of(SignIn.LOCAL, [], admins=[], editors=[]) is Role.ADMIN
    assert Role.ADMIN > Role.EDITOR > Role.READER


@pytest.mark.slow  # a real `streamlit run`
def test_the_page_listens_on_loopback_by_default(sample_copy: Path, tmp_path: Path) -> None:
    log = tmp_path / "streamlit.log"
    with serving(sample_copy, log, address=None) as url:  # .streamlit/config.toml
        port = int(url.rsplit(":", 1)[1])
        listening = _listening_addresses(port)
        assert listening == {"127.0.0.1"}, listening
        assert "Network URL" not in log.read_text()


def _listening_addresses(port: int) -> set[str]:
    """The local addresses of sockets listening on `port`, read from /proc/net/tcp{,6}."""
    found: set[str] = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            address, port_hex = fields[1].split(":")
            if int(port_hex, 16) != port or fields[3] != "0A":  # 0A: LISTEN
                continue
            if len(address) == 8:  # IPv4, little-endian bytes
                found.add(".".join(str(int(address[i : i + 2], 16)) for i in (6, 4, 2, 0)))
            else:
                found.add("::" if set(address) == {"0"} else address)
    return found
