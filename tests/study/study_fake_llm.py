"""A tiny OpenAI chat-completions server on 127.0.0.1 for study tests.

Answers depend only on the request body, so an interrupted and an
uninterrupted run see the same answers:

* a code request ("Complete the following ...") gets the task's secure or
  insecure reference (chosen by a hash of the body) in a fenced block;
* a confidence question gets ``Confidence: NN%`` (joint: two lines);
* a yes/no question gets ``Yes``/``No`` and, when asked, first-token log-probs.

Every request is counted (``hits``) so tests can prove nothing is paid twice.
"""

from __future__ import annotations

import hashlib
import json
import math
import threading
import time
from collections.abc import Mapping
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


def _h(text: str) -> int:
    return int(hashlib.sha256(text.encode()).hexdigest()[:8], 16)


class FakeLLM:
    """The server; ``references`` maps a task prompt to (secure, insecure) module texts."""

    def __init__(self, references: Mapping[str, tuple[str, str]], *, delay_s: float = 0.0) -> None:
        self.references = dict(references)
        self.delay_s = delay_s
        self.hits = 0
        self.keys_seen: set[str] = set()
        self._lock = threading.Lock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:  # quiet
                pass

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length))
                with fake._lock:
                    fake.hits += 1
                    fake.keys_seen.add(self.headers.get("Authorization", ""))
                if fake.delay_s:
                    time.sleep(fake.delay_s)
                payload = json.dumps(fake.answer(body)).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}/v1"

    def __enter__(self) -> FakeLLM:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    def _text(self, body: Mapping[str, Any]) -> tuple[str, float | None]:
        user = body["messages"][-1]["content"]
        key = json.dumps(body, sort_keys=True)
        if user.startswith("Complete the following"):
            for prompt, (secure, insecure) in self.references.items():
                if prompt.strip() in user:
                    code = secure if _h(key) % 2 else insecure
                    return f"Here you go:\n\n```python\n{code}```\n", None
            return "I cannot help with that.", None
        if "Answer with one word" in user:
            p_yes = (_h(key) % 90 + 5) / 100
            return ("Yes" if p_yes >= 0.5 else "No"), p_yes
        if "Security: NN%" in user:
            return f"Security: {_h(key) % 101}%\nFunctional: {_h(key[::-1]) % 101}%", None
        return f"Confidence: {_h(key) % 101}%", None

    def answer(self, body: Mapping[str, Any]) -> dict[str, Any]:
        text, p_yes = self._text(body)
        choice: dict[str, Any] = {
            "index": 0,
            "message": {"role": "assistant", "content": text},
            "finish_reason": "stop",
            "logprobs": None,
        }
        if body.get("logprobs"):
            first = text.split()[0] if text.split() else ""
            p = p_yes if p_yes is not None else 0.9
            alts = [("Yes", p_yes), ("No", 1 - p_yes)] if p_yes is not None else [(first, p)]
            choice["logprobs"] = {
                "content": [
                    {
                        "token": first,
                        "logprob": math.log(p),
                        "bytes": None,
                        "top_logprobs": [
                            {"token": t, "logprob": math.log(v), "bytes": None} for t, v in alts
                        ],
                    }
                ]
            }
        words = sum(len(m["content"]) for m in body["messages"]) // 4
        return {
            "id": "chatcmpl-fake",
            "object": "chat.completion",
            "created": 0,
            "model": body["model"],
            "choices": [choice],
            "usage": {
                "prompt_tokens": words,
                "completion_tokens": len(text) // 4 + 1,
                "total_tokens": words + len(text) // 4 + 1,
            },
        }
