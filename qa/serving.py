"""Who can reach the page: the warning for a page served past this machine without sign-in.

exposure_warning("0.0.0.0")   # "newsqa: WARNING: serving on 0.0.0.0 without sign-in: ..."
exposure_warning("127.0.0.1") # None
"""

from __future__ import annotations

import ipaddress

LOOPBACK_NAMES = ("localhost",)


def exposure_warning(address: str | None) -> str | None:
    """The line to print when the page listens beyond the loopback interface (it has no
    sign-in yet), else None. No address means every interface, as for Streamlit."""
    if address and (address in LOOPBACK_NAMES or _is_loopback(address)):
        return None
    where = address or "every interface"
    return (
        f"newsqa: WARNING: serving on {where} without sign-in: anyone who reaches this port can "
        "read the collection and add to it; serve on 127.0.0.1 (the default in "
        ".streamlit/config.toml), behind an authenticating proxy if others need it"
    )


def _is_loopback(address: str) -> bool:
    try:
        return ipaddress.ip_address(address.strip("[]")).is_loopback
    except ValueError:
        return False
