"""Who is reading the page, and who can reach it.

Three ways to know the reader, the first one configured wins:
- **sign-in**: Streamlit's OpenID Connect login (`st.login`, with Authlib), configured by an
  `[auth]` section in `.streamlit/secrets.toml`; the identity is Streamlit's signed, HttpOnly
  cookie, and the reader is the provider's subject;
- **proxy**: an authenticating proxy in front of the page sets a header naming the user
  (`NEWSQA_TRUSTED_USER_HEADER`, e.g. `X-Forwarded-Email`); only for a page nobody reaches
  but through that proxy;
- **local**: neither: one person on this machine (the page listens on 127.0.0.1), known by a
  random id in a cookie.

    mode = sign_in_mode(oidc=True, trusted_header=None)          # SignIn.OIDC
    exposure_warning("0.0.0.0", SignIn.LOCAL)                     # "newsqa: WARNING: ..."
    proxy_reader("alice@example.org")                             # "proxy:alice@example.org"
    role_of(SignIn.OIDC, ["bob@example.org"], admins=[], editors=["bob@example.org"])  # EDITOR
"""

from __future__ import annotations

import enum
import ipaddress
import re
from collections.abc import Iterable

LOOPBACK_NAMES = ("localhost",)
# What a proxy's user header may hold: an e-mail address or a user name, nothing that could
# be two values or a control sequence.
_USER = re.compile(r"[\w.@+=:/-]{1,320}")


class SignIn(enum.StrEnum):
    OIDC = "oidc"
    PROXY = "proxy"
    LOCAL = "local"


class Role(enum.IntEnum):
    """What a reader may do on the page, each role all the one before may: read (ask, brief,
    keep conversations), edit (add and remove articles), administer (the developer's items:
    how to configure a model, saving answers as test fixtures)."""

    READER = 1
    EDITOR = 2
    ADMIN = 3


def role_of(
    mode: SignIn, names: Iterable[object], *, admins: Iterable[str], editors: Iterable[str]
) -> Role:
    """The role of the reader known by `names` (the e-mail and subject id a sign-in gives, or
    the proxy's user); the one local reader of a page without sign-in owns it."""
    if mode is SignIn.LOCAL:
        return Role.ADMIN
    mine = {n.strip().casefold() for n in names if isinstance(n, str) and n.strip()}
    if mine & {a.strip().casefold() for a in admins}:
        return Role.ADMIN
    if mine & {e.strip().casefold() for e in editors}:
        return Role.EDITOR
    return Role.READER


def sign_in_mode(*, oidc: bool, trusted_header: str | None) -> SignIn:
    """How the page knows its reader: OpenID Connect when configured, else the proxy's
    header when one is named, else the one local reader."""
    if oidc:
        return SignIn.OIDC
    if trusted_header:
        return SignIn.PROXY
    return SignIn.LOCAL


def oidc_reader(subject: object, email: object) -> str | None:
    """The signed-in reader: the provider's subject (stable), else the e-mail it gave."""
    for value in (subject, email):
        if isinstance(value, str) and value.strip():
            return f"oidc:{value.strip()}"
    return None


def proxy_reader(value: str | None) -> str | None:
    """The reader the proxy's header names, or None when it names nobody usable."""
    if value is None or not _USER.fullmatch(value.strip()):
        return None
    return f"proxy:{value.strip()}"


def exposure_warning(address: str | None, mode: SignIn = SignIn.LOCAL) -> str | None:
    """The line to print when the page listens beyond the loopback interface without sign-in,
    else None. No address means every interface, as for Streamlit."""
    if mode is not SignIn.LOCAL:
        return None
    if address and (address in LOOPBACK_NAMES or _is_loopback(address)):
        return None
    where = address or "every interface"
    return (
        f"newsqa: WARNING: serving on {where} without sign-in: anyone who reaches this port can "
        "read the collection and add to it; configure sign-in (an [auth] section in "
        ".streamlit/secrets.toml, or NEWSQA_TRUSTED_USER_HEADER behind an authenticating "
        "proxy) or serve on 127.0.0.1 (the default in .streamlit/config.toml)"
    )


def _is_loopback(address: str) -> bool:
    try:
        return ipaddress.ip_address(address.strip("[]")).is_loopback
    except ValueError:
        return False
