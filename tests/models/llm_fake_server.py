"""A local HTTP server speaking the OpenAI, Gemini and Anthropic wire formats, with faults.

A request chooses its fault by a directive in its last message or prompt:
``FAULT=<kind>[x<n>]`` makes the first ``n`` attempts of that exact request fail (all of them
without ``x<n>``), after which it is answered normally. Kinds: ``429`` (with ``Retry-After``
from ``RETRY=<seconds>``, default 0), ``500``, ``503``, ``reset`` (TCP RST), ``timeout``
(answer after :attr:`FakeLLMServer.slow_s`), ``truncated`` (half a JSON body), ``empty``
(empty content), ``nologprobs``, ``refusal``, ``400temp`` (reject ``temperature``).
Every request is recorded (path, headers, body) for assertions.
"""

from __future__ import annotations

import hashlib
import json
import re
import socket
import struct
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

_DIRECTIVE = re.compile(r"FAULT=(\w+?)(?:x(\d+))?(?:\s|$)")
_RETRY = re.compile(r"RETRY=([\d.]+)")


def answer_text(prompt: str) -> str:
    """The deterministic answer the server gives to ``prompt``."""
    digest = hashlib.sha256(prompt.encode()).hexdigest()[:8]
    return f"def solution():\n    return '{digest}'"


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go in two writes: avoid 40 ms stalls
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        pass

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", "0"))
        body = json.loads(self.rfile.read(length) or b"{}")
        path = self.path.split("?")[0]
        with self.server.lock:
            self.server.requests.append(
                {
                    "path": path,
                    "headers": {k.lower(): v for k, v in self.headers.items()},
                    "body": body,
                }
            )
        if path.endswith("/chat/completions"):
            prompt = body["messages"][-1]["content"]
            fmt = "chat"
        elif path.endswith("/completions"):
            prompt = body["prompt"]
            fmt = "completion"
        elif ":generateContent" in path:
            contents = body.get("contents", [])
            prompt = contents[-1]["parts"][0]["text"] if contents else ""
            fmt = "gemini"
        elif path.endswith("/messages"):
            prompt = body["messages"][-1]["content"]
            fmt = "anthropic"
        else:
            self._send(404, {"error": {"message": f"no route {path}"}})
            return
        if (
            fmt == "gemini"
            and "nolp" in path
            and body.get("generationConfig", {}).get("responseLogprobs")
        ):
            err = {
                "error": {
                    "code": 400,
                    "message": "Logprobs is not supported for the current model.",
                    "status": "INVALID_ARGUMENT",
                }
            }
            self._send(400, err)
            return
        if fmt == "chat" and "nolp" in body.get("model", "") and body.get("logprobs"):
            err = {
                "error": {
                    "message": "logprobs is not supported for this model",
                    "type": "invalid_request_error",
                }
            }
            self._send(400, err)
            return
        fault = self._fault(prompt, fmt, body)
        if fault == "reset":
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.close_connection = True
            self.connection.close()
            return
        if fault == "timeout":
            time.sleep(self.server.slow_s)
            fault = None
        if fault in ("429", "500", "503"):
            status = int(fault)
            retry = _RETRY.search(prompt)
            headers = {"Retry-After": retry.group(1)} if status == 429 and retry else {}
            gstatus = {429: "RESOURCE_EXHAUSTED", 500: "INTERNAL", 503: "UNAVAILABLE"}[status]
            err = {
                "error": {
                    "code": status,
                    "message": f"injected {status} for {prompt[:80]}",
                    "status": gstatus,
                }
            }
            self._send(status, err, headers)
            return
        if fault == "400temp":
            err = {
                "error": {
                    "message": "Unsupported parameter: 'temperature' is not supported with this model.",
                    "type": "invalid_request_error",
                    "param": "temperature",
                    "code": "unsupported_parameter",
                }
            }
            self._send(400, err)
            return
        payload = getattr(self, f"_{fmt}")(prompt, body, fault)
        if fault == "truncated":
            raw = json.dumps(payload).encode()
            self._send_raw(200, raw[: len(raw) // 2])
            return
        self._send(200, payload)

    def _fault(self, prompt: str, fmt: str, body: dict[str, Any]) -> str | None:
        if fmt in ("chat", "completion") and "temperature" not in body and "400temp" in prompt:
            return None  # the retry without temperature succeeds
        match = _DIRECTIVE.search(prompt)
        if not match:
            return None
        kind, times = match.group(1), match.group(2)
        key = (fmt, prompt)
        with self.server.lock:
            seen = self.server.attempts.get(key, 0)
            self.server.attempts[key] = seen + 1
        if times is not None and seen >= int(times):
            return None
        return kind

    # -- wire formats ------------------------------------------------------------------

    @staticmethod
    def _tokens(text: str) -> list[str]:
        return re.findall(r"\s*\S+", text)

    def _chat(self, prompt: str, body: dict[str, Any], fault: str | None) -> dict[str, Any]:
        text = answer_text(prompt)
        message: dict[str, Any] = {"role": "assistant", "content": text, "refusal": None}
        finish = "stop"
        if fault == "empty":
            message["content"] = ""
        if fault == "refusal":
            message["content"] = None
            message["refusal"] = "I can't help with that."
        choice: dict[str, Any] = {"index": 0, "message": message, "finish_reason": finish}
        if body.get("logprobs") and fault not in ("nologprobs", "empty", "refusal"):
            k = int(body.get("top_logprobs") or 0)
            choice["logprobs"] = {
                "content": [
                    {
                        "token": t,
                        "logprob": -0.1 * (i + 1),
                        "bytes": list(t.encode()),
                        "top_logprobs": [
                            {"token": t if j == 0 else f"alt{j}", "logprob": -0.1 * (i + 1) - j}
                            for j in range(k)
                        ],
                    }
                    for i, t in enumerate(self._tokens(text))
                ]
            }
        else:
            choice["logprobs"] = None
        return {
            "id": "chatcmpl-fake",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": body.get("model", "fake"),
            "choices": [choice],
            "usage": {
                "prompt_tokens": len(prompt) // 4,
                "completion_tokens": 12,
                "total_tokens": 12 + len(prompt) // 4,
            },
        }

    def _completion(self, prompt: str, body: dict[str, Any], fault: str | None) -> dict[str, Any]:
        text = "" if fault == "empty" else answer_text(prompt)
        choice: dict[str, Any] = {
            "index": 0,
            "text": text,
            "finish_reason": "stop",
            "logprobs": None,
        }
        if body.get("logprobs") is not None and fault != "nologprobs":
            toks = self._tokens(text)
            k = int(body["logprobs"])
            choice["logprobs"] = {
                "tokens": toks,
                "token_logprobs": [-0.2] * len(toks),
                "top_logprobs": [
                    {t: -0.2, **{f"alt{j}": -1.0 - j for j in range(1, k)}} for t in toks
                ],
                "text_offset": list(range(len(toks))),
            }
        return {
            "id": "cmpl-fake",
            "object": "text_completion",
            "created": int(time.time()),
            "model": body.get("model", "fake"),
            "choices": [choice],
            "usage": {
                "prompt_tokens": len(prompt) // 4,
                "completion_tokens": 12,
                "total_tokens": 12 + len(prompt) // 4,
            },
        }

    def _gemini(self, prompt: str, body: dict[str, Any], fault: str | None) -> dict[str, Any]:
        text = answer_text(prompt)
        cand: dict[str, Any] = {
            "content": {"role": "model", "parts": [{"text": text}]},
            "finishReason": "STOP",
            "index": 0,
        }
        if fault == "empty":
            cand["content"] = {"role": "model", "parts": [{"text": ""}]}
        if fault == "refusal":
            cand = {"finishReason": "SAFETY", "index": 0}
        config = body.get("generationConfig", {})
        if config.get("responseLogprobs") and fault not in ("nologprobs", "refusal", "empty"):
            k = int(config.get("logprobs") or 0)
            toks = self._tokens(text)
            cand["logprobsResult"] = {
                "chosenCandidates": [{"token": t, "logProbability": -0.3} for t in toks],
                "topCandidates": [
                    {
                        "candidates": [
                            {"token": t if j == 0 else f"alt{j}", "logProbability": -0.3 - j}
                            for j in range(k)
                        ]
                    }
                    for t in toks
                ],
            }
        return {
            "candidates": [cand],
            "usageMetadata": {
                "promptTokenCount": len(prompt) // 4,
                "candidatesTokenCount": 12,
                "totalTokenCount": 12 + len(prompt) // 4,
            },
            "modelVersion": "gemini-2.0-flash-001",
        }

    def _anthropic(self, prompt: str, body: dict[str, Any], fault: str | None) -> dict[str, Any]:
        text = "" if fault == "empty" else answer_text(prompt)
        stop = "end_turn"
        if fault == "refusal":
            text, stop = "", "refusal"
        return {
            "id": "msg_fake",
            "type": "message",
            "role": "assistant",
            "model": body.get("model", "claude-fake"),
            "content": [{"type": "text", "text": text}] if text else [],
            "stop_reason": stop,
            "stop_sequence": None,
            "usage": {"input_tokens": len(prompt) // 4, "output_tokens": 12},
        }

    # -- plumbing ----------------------------------------------------------------------

    def _send(self, status: int, payload: Any, headers: dict[str, str] | None = None) -> None:
        self._send_raw(status, json.dumps(payload).encode(), headers)

    def _send_raw(self, status: int, raw: bytes, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(raw)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(raw)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 256

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # clients that time out close their end; that is expected here

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.lock = threading.Lock()
        self.requests: list[dict[str, Any]] = []
        self.attempts: dict[tuple[str, str], int] = {}
        self.slow_s = 3.0


class FakeLLMServer:
    """Start/stop wrapper: ``with FakeLLMServer() as srv: srv.url``."""

    def __init__(self) -> None:
        self._server = _Server()
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def url(self) -> str:
        """Base URL (no trailing slash)."""
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def requests(self) -> list[dict[str, Any]]:
        """Requests received so far."""
        with self._server.lock:
            return list(self._server.requests)

    @property
    def slow_s(self) -> float:
        return self._server.slow_s

    @slow_s.setter
    def slow_s(self, value: float) -> None:
        self._server.slow_s = value

    def attempts_for(self, prompt_fragment: str) -> int:
        """Attempts received for requests whose prompt contains ``prompt_fragment``."""
        with self._server.lock:
            return sum(n for (_, p), n in self._server.attempts.items() if prompt_fragment in p)

    def __enter__(self) -> FakeLLMServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()


def serve_forever() -> None:  # pragma: no cover - used by the benchmark's server process
    """Run a server in this process and print its URL (for benchmarks)."""
    srv = FakeLLMServer()
    print(srv.url, flush=True)
    srv._server.serve_forever()
