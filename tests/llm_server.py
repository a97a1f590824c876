"""A scripted OpenAI-compatible server on 127.0.0.1 for tests: real sockets, real SSE.

It serves `GET /v1/models` and `POST /v1/chat/completions` (streamed or not) and answers each
completion with the next scripted `Reply` (the last one repeats). It records every request body,
so tests can read the prompt the client sent.

    with ScriptedLLM([Reply("Talks failed [1].")]) as llm:
        settings = Settings(llm_base_url=llm.url, llm_model=llm.model, llm_api_key=llm.key)
"""

from __future__ import annotations

import http.server
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Reply:
    text: str = ""
    status: int = 200
    error: str = ""  # the error message for a non-200 status
    error_code: str | None = None  # e.g. "context_length_exceeded"
    chunk_chars: int = 6  # streamed in pieces of this many characters
    stall_after: int | None = None  # stop sending (but keep the socket open) after N pieces
    drop_after: int | None = None  # close the connection after N pieces, mid-reply
    finish: str | None = "stop"  # the last chunk's finish_reason; None sends no such chunk
    trickle: float = 0.0  # seconds between pieces (a slow server that never stalls)
    headers: dict[str, str] = field(default_factory=dict)
    # Computes the reply text from the request body (e.g. to cite a sentence by its number).
    compute: Callable[[dict[str, Any]], str] | None = None


class ScriptedLLM:
    def __init__(
        self,
        replies: list[Reply],
        *,
        model: str = "scripted-model",
        key: str = "sk-test-secret-key-1234",
        stall_seconds: float = 30.0,
    ) -> None:
        self.replies = list(replies)
        self.model = model
        self.key = key
        self.stall_seconds = stall_seconds
        self.requests: list[dict[str, Any]] = []
        self.completions = 0
        self._lock = threading.Lock()
        self._server: http.server.ThreadingHTTPServer | None = None
        self._stop = threading.Event()

    @property
    def url(self) -> str:
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.server_address[1]}/v1"

    def __enter__(self) -> ScriptedLLM:
        scripted = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:  # noqa: N802 - the stdlib's name
                if not scripted._authorised(self):
                    return
                if self.path.rstrip("/") == "/v1/models":
                    data = [{"id": scripted.model, "object": "model", "owned_by": "tests"}]
                    self._json(200, {"object": "list", "data": data})
                else:
                    self._json(404, {"error": {"message": f"no route {self.path}"}})

            def do_POST(self) -> None:  # noqa: N802
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length) or b"{}")
                if not scripted._authorised(self):
                    return
                if self.path.rstrip("/") != "/v1/chat/completions":
                    self._json(404, {"error": {"message": f"no route {self.path}"}})
                    return
                with scripted._lock:
                    scripted.requests.append(body)
                    index = min(scripted.completions, len(scripted.replies) - 1)
                    scripted.completions += 1
                    reply = scripted.replies[index]
                if body.get("model") != scripted.model:
                    message = f"The model `{body.get('model')}` does not exist"
                    self._json(404, {"error": {"message": message, "code": "model_not_found"}})
                    return
                if reply.status != 200:
                    error = {"message": reply.error or "scripted failure", "code": reply.error_code}
                    self._json(reply.status, {"error": error}, reply.headers)
                    return
                text = reply.compute(body) if reply.compute else reply.text
                if body.get("stream"):
                    self._stream(text, reply)
                else:
                    self._json(200, _completion(text, scripted.model))

            def _stream(self, text: str, reply: Reply) -> None:
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.send_header("Cache-Control", "no-cache")
                self.send_header("Connection", "close")
                self.end_headers()
                size = reply.chunk_chars
                pieces = [text[i : i + size] for i in range(0, len(text), size)]
                for number, piece in enumerate(pieces):
                    if reply.stall_after is not None and number >= reply.stall_after:
                        scripted._stop.wait(scripted.stall_seconds)
                        return
                    if reply.drop_after is not None and number >= reply.drop_after:
                        self.close_connection = True
                        return
                    if reply.trickle and scripted._stop.wait(reply.trickle):
                        return
                    self._event(_chunk(piece, scripted.model))
                if reply.finish is not None:
                    self._event(_chunk(None, scripted.model, finish=reply.finish))
                self.wfile.write(b"data: [DONE]\n\n")
                self.wfile.flush()
                self.close_connection = True

            def _event(self, payload: dict[str, Any]) -> None:
                self.wfile.write(f"data: {json.dumps(payload)}\n\n".encode())
                self.wfile.flush()

            def _json(
                self, status: int, payload: dict[str, Any], headers: dict[str, str] | None = None
            ) -> None:
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: object) -> None:
                pass

        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        assert self._server is not None
        self._server.shutdown()
        self._server.server_close()

    def _authorised(self, handler: http.server.BaseHTTPRequestHandler) -> bool:
        if handler.headers.get("Authorization") == f"Bearer {self.key}":
            return True
        data = json.dumps(
            {"error": {"message": "Incorrect API key provided", "code": "invalid_api_key"}}
        ).encode()
        handler.send_response(401)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(len(data)))
        handler.end_headers()
        handler.wfile.write(data)
        return False

    def prompt(self, number: int = -1) -> str:
        """The user message of a recorded completion request."""
        return str(self.requests[number]["messages"][-1]["content"])


def _completion(text: str, model: str) -> dict[str, Any]:
    return {
        "id": "chatcmpl-test",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": model,
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": text},
                "finish_reason": "stop",
            }
        ],
        "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
    }


def _chunk(piece: str | None, model: str, finish: str | None = None) -> dict[str, Any]:
    delta = {"content": piece} if piece is not None else {}
    return {
        "id": "chatcmpl-test",
        "object": "chat.completion.chunk",
        "created": int(time.time()),
        "model": model,
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
    }
