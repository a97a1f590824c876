"""HTTP(S) fetching for article pages and feeds, bounded in time and size.

With `public_only` (the page, where a visitor types the URL), every hop of the download, the
first request and each redirect, is resolved first, refused when any address is not a public
one (loopback, private ranges, link-local cloud metadata, multicast, reserved), and then
connected to the address that was checked: a name that resolves to a public address for the
check and to 127.0.0.1 for the connection (DNS rebinding) cannot slip through.

    fetched = fetch("https://example.org/story", timeout=20, max_bytes=25_000_000,
                    user_agent="newsqa", public_only=True)
"""

from __future__ import annotations

import ipaddress
import socket
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urljoin, urlsplit

from qa.errors import InputError

if TYPE_CHECKING:
    import httpx

MAX_REDIRECTS = 5


@dataclass(frozen=True)
class Fetched:
    url: str  # after redirects
    content: bytes
    content_type: str


def fetch(
    url: str, *, timeout: float, max_bytes: int, user_agent: str, public_only: bool = False
) -> Fetched:
    """GET a URL; every failure is an InputError naming the URL and what went wrong.

    `timeout` bounds the whole download (connecting, redirects and every byte), not one read.
    """
    import httpx

    deadline = time.monotonic() + timeout
    headers = {"User-Agent": user_agent, "Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}
    try:
        with httpx.Client(timeout=timeout, follow_redirects=False, headers=headers) as client:
            current = url
            for _ in range(MAX_REDIRECTS + 1):
                request = _request(client, current, public_only)
                response = client.send(request, stream=True)
                try:
                    if response.is_redirect and "location" in response.headers:
                        current = urljoin(current, response.headers["location"])
                        continue
                    return _body(url, current, response, max_bytes, deadline, timeout)
                finally:
                    response.close()
            raise InputError(url, f"more than {MAX_REDIRECTS} redirects")
    except httpx.TimeoutException:
        raise InputError(url, f"no answer within {timeout:g} s") from None
    except httpx.ConnectError as exc:
        raise InputError(url, f"cannot connect ({_reason(exc)})") from None
    except httpx.HTTPError as exc:
        raise InputError(url, f"download failed ({_reason(exc)})") from None


def _request(client: httpx.Client, url: str, public_only: bool) -> httpx.Request:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InputError(url, "only http(s) URLs can be fetched")
    if not public_only:
        return client.build_request("GET", url)
    address = public_address(url, parts.hostname, parts.port)
    # Connect to the checked address; the Host header and TLS (SNI and the certificate check)
    # still use the name.
    host = f"[{address}]" if ":" in address else address
    netloc = host + (f":{parts.port}" if parts.port else "")
    pinned = parts._replace(netloc=netloc).geturl()
    request = client.build_request("GET", pinned, headers={"Host": parts.netloc.split("@")[-1]})
    request.extensions["sni_hostname"] = parts.hostname
    return request


def public_address(url: str, hostname: str, port: int | None) -> str:
    """The first address `hostname` resolves to, when every one of them is public."""
    try:
        infos = socket.getaddrinfo(hostname, port or 443, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError) as exc:
        raise InputError(url, f"cannot resolve {hostname} ({exc})") from None
    addresses = [str(info[4][0]).split("%")[0] for info in infos]
    for address in addresses:
        if not _allowed(address):
            raise InputError(
                url,
                f"{hostname} is a private or local address ({address}); the page fetches public "
                "addresses only (NEWSQA_PAGE_ALLOW_PRIVATE_URLS=true allows others)",
            )
    return addresses[0]


def _allowed(address: str) -> bool:
    # is_global is false for loopback, RFC 1918, link-local (169.254.169.254, the cloud
    # metadata service), shared, reserved and documentation ranges, and IPv6 equivalents.
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def _body(
    url: str,
    final: str,
    response: httpx.Response,
    max_bytes: int,
    deadline: float,
    timeout: float,
) -> Fetched:
    if response.status_code >= 400:
        raise InputError(url, f"the server answered HTTP {response.status_code}")
    chunks, size = [], 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > max_bytes:
            raise InputError(url, f"larger than {max_bytes // 1_000_000} MB")
        if time.monotonic() > deadline:
            raise InputError(url, f"the download took longer than {timeout:g} s")
        chunks.append(chunk)
    return Fetched(final, b"".join(chunks), response.headers.get("content-type", ""))


def _reason(exc: Exception) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text.splitlines()[0][:200]
