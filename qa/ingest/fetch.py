"""HTTP(S) fetching for article pages and feeds, bounded in time and size."""

from __future__ import annotations

from dataclasses import dataclass

from qa.errors import InputError


@dataclass(frozen=True)
class Fetched:
    url: str  # after redirects
    content: bytes
    content_type: str


def fetch(url: str, *, timeout: float, max_bytes: int, user_agent: str) -> Fetched:
    """GET a URL; every failure is an InputError naming the URL and what went wrong."""
    import httpx

    headers = {"User-Agent": user_agent, "Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}
    try:
        with (
            httpx.Client(timeout=timeout, follow_redirects=True, headers=headers) as client,
            client.stream("GET", url) as response,
        ):
            if response.status_code >= 400:
                raise InputError(url, f"the server answered HTTP {response.status_code}")
            chunks, size = [], 0
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > max_bytes:
                    raise InputError(url, f"larger than {max_bytes // 1_000_000} MB")
                chunks.append(chunk)
            return Fetched(
                str(response.url), b"".join(chunks), response.headers.get("content-type", "")
            )
    except httpx.TimeoutException:
        raise InputError(url, f"no answer within {timeout:g} s") from None
    except httpx.ConnectError as exc:
        raise InputError(url, f"cannot connect ({_reason(exc)})") from None
    except httpx.HTTPError as exc:
        raise InputError(url, f"download failed ({_reason(exc)})") from None


def _reason(exc: Exception) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text.splitlines()[0][:200]
