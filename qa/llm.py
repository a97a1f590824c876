"""The language model seam: chat messages in, text (or streamed text) out, through `openai`.

We use the `openai` package directly rather than llama-index's OpenAI/OpenAILike wrappers:
its typed exceptions name each failure we must explain (refused, timeout, 401, 404, 429, 5xx,
context too long), it retries 429/5xx with backoff honouring Retry-After, it streams, and it
speaks to OpenAI and every OpenAI-compatible server (vLLM, Ollama, llama.cpp, LM Studio) by
base URL. The wrappers add llama_index.core's 1.2 s import and hide the error types.

    chat = ChatModel(settings)
    for piece in chat.stream([{"role": "user", "content": "Hello"}], max_tokens=20): ...

Every failure becomes an `LLMError` with one line that says what to do; the API key never
appears in a message.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from qa.errors import LLMError

if TYPE_CHECKING:
    from qa.config import Settings

Message = dict[str, str]
OPENAI_URL = "https://api.openai.com/v1"
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


class ChatModel:
    def __init__(self, settings: Settings) -> None:
        self.base_url = settings.llm_base_url or OPENAI_URL
        key = settings.llm_api_key.get_secret_value() if settings.llm_api_key else None
        if key is None and not settings.llm_base_url:
            raise LLMError(
                "no API key for OpenAI: set NEWSQA_LLM_API_KEY (or OPENAI_API_KEY), or point "
                "NEWSQA_LLM_BASE_URL at a local OpenAI-compatible server",
                kind="config",
            )
        self._key = key or LOCAL_SERVER_KEY
        self._configured_model = settings.llm_model
        self.timeout = settings.llm_timeout
        self.max_retries = settings.llm_max_retries
        self.temperature = settings.llm_temperature

    @functools.cached_property
    def _client(self) -> Any:
        import openai  # 2 s to import: only when a model is actually used

        return openai.OpenAI(
            base_url=self.base_url,
            api_key=self._key,
            timeout=self.timeout,
            max_retries=self.max_retries,
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

    def complete(self, messages: list[Message], *, max_tokens: int) -> str:
        return "".join(self.stream(messages, max_tokens=max_tokens))

    def stream(self, messages: list[Message], *, max_tokens: int) -> Iterator[str]:
        """The reply's text as the server sends it. A stream that stalls for `timeout` seconds
        raises LLMError(kind='timeout')."""
        try:
            stream = self._client.chat.completions.create(
                model=self.model,
                messages=messages,
                max_tokens=max_tokens,
                temperature=self.temperature,
                stream=True,
            )
            for chunk in stream:
                if not chunk.choices:
                    continue
                piece = chunk.choices[0].delta.content
                if piece:
                    yield piece
        except LLMError:
            raise
        except Exception as exc:
            raise self._explain(exc) from None

    def _explain(self, exc: Exception) -> LLMError:
        """One line for a person from whatever the client raised."""
        import httpx
        import openai

        where = f"the model server at {self.base_url}"
        if isinstance(exc, openai.APITimeoutError | httpx.TimeoutException):
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


def doctor(settings: Settings) -> list[Check]:
    """Is the configured model usable? Each check says what is wrong; later checks are skipped
    once one fails."""
    if not settings.llm_configured:
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
        chat = ChatModel(settings)
    except LLMError as exc:
        return [Check("configured", False, str(exc))]
    key = "set" if settings.llm_api_key else "not set"
    checks.append(Check("configured", True, f"{chat.base_url}, API key {key}"))
    try:
        listed = chat.models()
    except LLMError as exc:
        return [*checks, Check("reachable", False, str(exc))]
    checks.append(Check("reachable", True, f"{len(listed)} model(s) listed"))
    model = settings.llm_model or (listed[0] if listed else None)
    if model is None or (settings.llm_model and settings.llm_model not in listed):
        names = ", ".join(listed[:8]) or "none"
        return [*checks, Check("model", False, f"{settings.llm_model!r} is not listed: {names}")]
    checks.append(Check("model", True, model))
    started = time.perf_counter()
    try:
        reply = chat.complete([{"role": "user", "content": "Say OK."}], max_tokens=1)
    except LLMError as exc:
        return [*checks, Check("completion", False, str(exc))]
    took = (time.perf_counter() - started) * 1000
    checks.append(Check("completion", True, f"one token ({reply!r}) in {took:.0f} ms"))
    return checks
