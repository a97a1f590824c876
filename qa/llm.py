"""The language model seam: chat messages in, text (or streamed text) out, through `openai`.

We use the `openai` package directly rather than llama-index's OpenAI/OpenAILike wrappers:
its typed exceptions name each failure we must explain (refused, timeout, 401, 404, 429, 5xx,
context too long), it retries 429/5xx with backoff honouring Retry-After, it streams, and it
speaks to OpenAI and every OpenAI-compatible server (vLLM, Ollama, llama.cpp, LM Studio) by
base URL. The wrappers add llama_index.core's 1.2 s import and hide the error types.

    chat = ChatModel(settings.chat)
    for piece in chat.stream([{"role": "user", "content": "Hello"}], max_tokens=20): ...

Every failure becomes an `LLMError` with one line that says what to do; the API key never
appears in a message. A reply is only whole when the server says it finished
(`finish_reason` "stop"): a stream that ends without one (a dropped connection) or hits
`max_tokens` ("length") is an error, not a short answer. Retries (429, 5xx, connection errors
before the first token) are ours rather than the client's, so that one `deadline` bounds the
whole reply, retries and a trickling server included.
"""

from __future__ import annotations

import functools
import random
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from qa.errors import LLMError

if TYPE_CHECKING:
    from qa.config import ChatConfig

Message = dict[str, str]
OPENAI_URL = "https://api.openai.com/v1"
MAX_RETRY_DELAY = 8.0  # seconds; a longer Retry-After is not waited for
DOCTOR_TOKENS = 8  # enough for "OK" from a model that starts with a space or a newline
LOCAL_SERVER_KEY = "not-needed"  # local servers want some key in the header, any key

_CONTEXT_HINTS = (
    "context length",
    "context_length",
    "maximum context",
    "too many tokens",
    "exceeds the context",
    "context window",
    "prompt is too long",
    "n_ctx",
)


class Chat(Protocol):
    """What answering needs of a model: the reply streamed, or whole. `ChatModel` is the real
    one; `ScriptedChat` writes a given reply (fixtures, tests)."""

    def stream(
        self,
        messages: list[Message],
        *,
        max_tokens: int,
        deadline: float | None = None,
        whole: bool = True,
    ) -> Iterator[str]: ...

    def complete(
        self,
        messages: list[Message],
        *,
        max_tokens: int,
        deadline: float | None = None,
        whole: bool = True,
    ) -> str: ...


class ChatModel:
    def __init__(self, config: ChatConfig) -> None:
        self.base_url = config.base_url or OPENAI_URL
        if config.api_key is None and not config.base_url:
            raise LLMError(
                "no API key for OpenAI: set NEWSQA_LLM_API_KEY (or OPENAI_API_KEY), or point "
                "NEWSQA_LLM_BASE_URL at a local OpenAI-compatible server",
                kind="config",
            )
        self._key = config.api_key or LOCAL_SERVER_KEY
        self._configured_model = config.model
        self.timeout = config.timeout
        self.max_retries = config.max_retries
        self.temperature = config.temperature

    @functools.cached_property
    def _client(self) -> Any:
        import openai  # 2 s to import: only when a model is actually used

        # No retries in the client: `stream` retries itself, within the deadline.
        return openai.OpenAI(
            base_url=self.base_url, api_key=self._key, timeout=self.timeout, max_retries=0
        )

    @functools.cached_property
    def model(self) -> str:
        """The configured model, or the server's first when none is configured (local servers
        usually serve exactly one)."""
        if self._configured_model:
            return self._configured_model
        listed = self.models()
        if not listed:
            raise LLMError(f"the model server at {self.base_url} lists no models", kind="model")
        return listed[0]

    def models(self) -> list[str]:
        try:
            return sorted(m.id for m in self._client.models.list())
        except Exception as exc:
            raise self._explain(exc) from None

    def complete(
        self,
        messages: list[Message],
        *,
        max_tokens: int,
        deadline: float | None = None,
        whole: bool = True,
    ) -> str:
        return "".join(self.stream(messages, max_tokens=max_tokens, deadline=deadline, whole=whole))

    def stream(
        self,
        messages: list[Message],
        *,
        max_tokens: int,
        deadline: float | None = None,
        whole: bool = True,
    ) -> Iterator[str]:
        """The reply's text as the server sends it. Raises LLMError when the stream stalls for
        `timeout` seconds (kind 'timeout'), when the whole reply takes more than `deadline`
        seconds (kind 'deadline'), or when it is cut off (kind 'cut_off'; with `whole=False`
        a reply cut at `max_tokens` is accepted)."""
        ends = None if deadline is None else time.monotonic() + deadline
        attempt = 0
        while True:
            yielded = False
            try:
                for piece in self._attempt(messages, max_tokens, ends, whole):
                    yielded = True
                    yield piece
                return
            except LLMError:
                raise
            except Exception as exc:
                delay = None if yielded else _retry_delay(exc, attempt)
                if delay is None or attempt >= self.max_retries:
                    raise self._explain(exc, ends, mid_reply=yielded) from None
                if ends is not None and time.monotonic() + delay >= ends:
                    raise self._past_deadline() from None
                time.sleep(delay)
                attempt += 1

    def _attempt(
        self, messages: list[Message], max_tokens: int, ends: float | None, whole: bool
    ) -> Iterator[str]:
        client = self._client
        if ends is not None:
            remaining = ends - time.monotonic()
            if remaining <= 0:
                raise self._past_deadline()
            client = client.with_options(timeout=min(self.timeout, remaining))
        stream = client.chat.completions.create(
            model=self.model,
            messages=messages,
            max_tokens=max_tokens,
            temperature=self.temperature,
            stream=True,
        )
        finish = None
        for chunk in stream:
            if ends is not None and time.monotonic() > ends:
                stream.close()
                raise self._past_deadline()
            if not chunk.choices:
                continue
            choice = chunk.choices[0]
            finish = choice.finish_reason or finish
            piece = choice.delta.content if choice.delta else None
            if piece:
                yield piece
        self._check_finish(finish, max_tokens, whole)

    def _check_finish(self, finish: str | None, max_tokens: int, whole: bool) -> None:
        where = f"the model server at {self.base_url}"
        if finish is None:
            raise LLMError(
                f"the reply from {where} was cut off: the stream ended without a finish "
                "reason (the connection dropped?)",
                kind="cut_off",
            )
        if finish == "length" and whole:
            raise LLMError(
                f"the model's reply was cut off at {max_tokens} tokens (finish_reason "
                "'length'): raise NEWSQA_LLM_MAX_TOKENS",
                kind="cut_off",
            )
        if finish == "content_filter":
            raise LLMError(f"{where} withheld the reply (content filter)", kind="refused")

    def _past_deadline(self) -> LLMError:
        return LLMError(
            f"the model server at {self.base_url} did not finish the answer within its deadline "
            "(raise NEWSQA_LLM_DEADLINE or use a faster model)",
            kind="deadline",
        )

    def _explain(
        self, exc: Exception, ends: float | None = None, *, mid_reply: bool = False
    ) -> LLMError:
        """One line for a person from whatever the client raised."""
        import httpx
        import openai

        where = f"the model server at {self.base_url}"
        timed_out = isinstance(exc, openai.APITimeoutError | httpx.TimeoutException)
        if timed_out and ends is not None and time.monotonic() >= ends - 0.05:
            return self._past_deadline()
        if (
            mid_reply
            and not timed_out
            and isinstance(exc, openai.APIConnectionError | httpx.TransportError)
        ):
            return LLMError(
                f"the connection to {where} dropped mid-reply: {_cause(exc)}", kind="cut_off"
            )
        if timed_out:
            return LLMError(
                f"{where} did not answer within {self.timeout:g} s "
                "(raise NEWSQA_LLM_TIMEOUT or use a smaller model)",
                kind="timeout",
            )
        if isinstance(exc, openai.APIConnectionError | httpx.TransportError):
            return LLMError(
                f"cannot reach {where}: {_cause(exc)} "
                "(start the server or fix NEWSQA_LLM_BASE_URL)",
                kind="unreachable",
            )
        if isinstance(exc, openai.AuthenticationError | openai.PermissionDeniedError):
            return LLMError(
                f"{where} refused the API key ({exc.status_code}): check NEWSQA_LLM_API_KEY "
                "or OPENAI_API_KEY",
                kind="auth",
            )
        if isinstance(exc, openai.NotFoundError):
            return LLMError(
                f"{where} has no model {self._configured_model or ''!r} ({exc.status_code}): "
                "set NEWSQA_LLM_MODEL to one that 'newsqa doctor' lists",
                kind="model",
            )
        if isinstance(exc, openai.RateLimitError):
            return LLMError(
                f"{where} is rate limiting (429) and still was after {self.max_retries} "
                "retries: wait and ask again",
                kind="rate_limit",
            )
        if isinstance(exc, openai.APIStatusError):
            detail = self._redact(_server_message(exc))
            if any(hint in detail.lower() for hint in _CONTEXT_HINTS):
                return LLMError(f"{where}: the prompt is too long ({detail})", kind="context")
            kind = "server" if exc.status_code >= 500 else "request"
            return LLMError(f"{where} answered {exc.status_code}: {detail}", kind=kind)
        return LLMError(f"{where} failed: {self._redact(_cause(exc))}", kind="error")

    def _redact(self, text: str) -> str:
        return text.replace(self._key, "****") if self._key else text


def _retry_delay(exc: Exception, attempt: int) -> float | None:
    """Seconds to wait before retrying after `exc`, or None when retrying cannot help."""
    import httpx
    import openai

    if isinstance(exc, openai.APIStatusError):
        if exc.status_code not in (408, 409, 429) and exc.status_code < 500:
            return None
        headers = exc.response.headers
        try:
            if "retry-after-ms" in headers:
                return float(min(float(headers["retry-after-ms"]) / 1000, MAX_RETRY_DELAY))
            if "retry-after" in headers:
                return float(min(float(headers["retry-after"]), MAX_RETRY_DELAY))
        except ValueError:
            pass
    elif not isinstance(exc, openai.APIConnectionError | httpx.TransportError):
        return None
    return min(0.5 * 2.0**attempt, MAX_RETRY_DELAY) * (1 - 0.25 * random.random())


def _cause(exc: BaseException) -> str:
    # openai's APIConnectionError says only "Connection error."; the reason is in its cause.
    while exc.__cause__ is not None:
        exc = exc.__cause__
    text = str(exc).strip() or type(exc).__name__
    return text.splitlines()[0][:200]


def _server_message(exc: Any) -> str:
    body = getattr(exc, "body", None)
    if isinstance(body, dict):
        error = body.get("error", body)
        message = error.get("message") if isinstance(error, dict) else error
        if message:
            return str(message).splitlines()[0][:200]
    return str(getattr(exc, "message", exc)).splitlines()[0][:200]


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str


def doctor(config: ChatConfig) -> list[Check]:
    """Is the configured model usable? Each check says what is wrong; later checks are skipped
    once one fails."""
    if not config.configured:
        return [
            Check(
                "configured",
                False,
                "no LLM configured: answers are extractive; set NEWSQA_LLM_BASE_URL and/or "
                "NEWSQA_LLM_MODEL to use one",
            )
        ]
    checks = []
    try:
        chat = ChatModel(config)
    except LLMError as exc:
        return [Check("configured", False, str(exc))]
    key = "set" if config.api_key else "not set"
    checks.append(Check("configured", True, f"{chat.base_url}, API key {key}"))
    try:
        listed = chat.models()
    except LLMError as exc:
        return [*checks, Check("reachable", False, str(exc))]
    checks.append(Check("reachable", True, f"{len(listed)} model(s) listed"))
    model = config.model or (listed[0] if listed else None)
    if model is None or (config.model and config.model not in listed):
        names = ", ".join(listed[:8]) or "none"
        return [*checks, Check("model", False, f"{config.model!r} is not listed: {names}")]
    checks.append(Check("model", True, model))
    started = time.perf_counter()
    try:
        reply = chat.complete(
            [{"role": "user", "content": "Say OK."}], max_tokens=DOCTOR_TOKENS, whole=False
        )
    except LLMError as exc:
        return [*checks, Check("completion", False, str(exc))]
    took = (time.perf_counter() - started) * 1000
    if not reply.strip():
        detail = (
            f"the server answered with empty content ({took:.0f} ms): answers would all fall "
            "back; check the model is loaded and writes plain text (not only reasoning)"
        )
        return [*checks, Check("completion", False, detail)]
    checks.append(
        Check("completion", True, f"a short reply ({reply.strip()[:20]!r}) in {took:.0f} ms")
    )
    return checks


class ScriptedChat:
    """A model that writes a given reply, for fixtures with `llm_reply` and tests: `{cite:TEXT}`
    becomes the number the prompt gave the evidence sentence containing TEXT (`[?]` when none
    does), so a fixture need not know how evidence will be numbered."""

    def __init__(self, reply: str) -> None:
        self.reply = reply

    def stream(
        self,
        messages: list[Message],
        *,
        max_tokens: int,
        deadline: float | None = None,
        whole: bool = True,
    ) -> Iterator[str]:
        prompt = messages[-1]["content"]
        numbered = re.findall(r"^\[(\d+)\] (.*)$", prompt, re.M)

        def number(match: re.Match[str]) -> str:
            wanted = match.group(1)
            return next((n for n, text in numbered if wanted in text), "?")

        text = re.sub(r"\{cite:([^}]+)\}", number, self.reply)
        for start in range(0, len(text), 8):  # in pieces, as a server streams
            yield text[start : start + 8]

    def complete(
        self,
        messages: list[Message],
        *,
        max_tokens: int,
        deadline: float | None = None,
        whole: bool = True,
    ) -> str:
        return "".join(self.stream(messages, max_tokens=max_tokens))
