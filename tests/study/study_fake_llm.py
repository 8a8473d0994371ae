"""A tiny model server on 127.0.0.1 for study tests: OpenAI (and DashScope's
OpenAI-compatible mode) chat completions at ``/v1/chat/completions``, Gemini at
``/v1beta/models/MODEL:generateContent``.

Answers depend only on the request, so an interrupted and an uninterrupted run see
the same answers:

* a code request ("Complete the following ...") gets the task's secure or
  insecure reference (chosen by a hash of the body) in a fenced block; asked for
  reasoning first, the reply starts with ``Reasoning: ...``;
* a repair request ("Fix every security weakness ...") gets one of the references too;
* a confidence question gets ``Confidence: NN%`` (joint: two lines);
* a yes/no question gets ``Yes``/``No`` and, when asked, first-token log-probs.

Every request is counted (``hits``, and per path in ``paths``) so tests can prove
nothing is paid twice and every wire format was used.
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
        self.paths: dict[str, int] = {}
        self.keys_seen: set[str] = set()
        self._lock = threading.Lock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:  # quiet
                pass

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length))
                path = self.path.split("?")[0]
                gemini = ":generateContent" in path
                with fake._lock:
                    fake.hits += 1
                    route = "gemini" if gemini else path
                    fake.paths[route] = fake.paths.get(route, 0) + 1
                    key = self.headers.get("x-goog-api-key") or self.headers.get("Authorization")
                    fake.keys_seen.add(key or "")
                if fake.delay_s:
                    time.sleep(fake.delay_s)
                answer = fake.answer_gemini(body) if gemini else fake.answer(body)
                payload = json.dumps(answer).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def root_url(self) -> str:
        """``http://HOST:PORT`` (Gemini clients add ``/v1beta/models/...`` themselves)."""
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    @property
    def base_url(self) -> str:
        """The OpenAI-compatible base URL (``ROOT/v1``)."""
        return f"{self.root_url}/v1"

    def __enter__(self) -> FakeLLM:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    def _code(self, user: str, key: str) -> str | None:
        # The longest matching prompt: a repository prompt may contain a shorter one.
        found = [p for p in self.references if p.strip() in user]
        if not found:
            return None
        secure, insecure = self.references[max(found, key=len)]
        return secure if _h(key) % 2 else insecure

    def _text(self, body: Mapping[str, Any]) -> tuple[str, float | None]:
        user = body["messages"][-1]["content"]
        key = json.dumps(body, sort_keys=True)
        if user.startswith("Complete the following") or "Fix every security weakness" in user:
            code = self._code(user, key)
            if code is None:
                return "I cannot help with that.", None
            head = "Here you go:"
            if "under the heading 'Reasoning:'" in user:
                head = "Reasoning: the input is untrusted, so it is validated before use."
            tail = "Confidence: 80%\n" if "Fix every" in user else ""
            return f"{head}\n\n```python\n{code}```\n{tail}", None
        if "Answer with one word" in user:
            p_yes = (_h(key) % 90 + 5) / 100
            return ("Yes" if p_yes >= 0.5 else "No"), p_yes
        if "Security: NN%" in user:
            return f"Security: {_h(key) % 101}%\nFunctional: {_h(key[::-1]) % 101}%", None
        return f"Confidence: {_h(key) % 101}%", None

    def answer_gemini(self, body: Mapping[str, Any]) -> dict[str, Any]:
        """A ``generateContent`` answer: the chat answer of the same conversation."""
        system = " ".join(p["text"] for p in body.get("systemInstruction", {}).get("parts", []))
        messages = [{"role": "system", "content": system}] if system else []
        for c in body.get("contents", []):
            role = "assistant" if c.get("role") == "model" else "user"
            messages.append({"role": role, "content": "".join(p["text"] for p in c["parts"])})
        config = body.get("generationConfig", {})
        chat = {"model": "gemini", "messages": messages, "config": config}
        text, p_yes = self._text(chat)
        cand: dict[str, Any] = {
            "content": {"role": "model", "parts": [{"text": text}]},
            "finishReason": "STOP",
            "index": 0,
        }
        if config.get("responseLogprobs"):
            first = text.split()[0] if text.split() else ""
            p = p_yes if p_yes is not None else 0.9
            alts = [("Yes", p_yes), ("No", 1 - p_yes)] if p_yes is not None else [(first, p)]
            cand["logprobsResult"] = {
                "chosenCandidates": [{"token": first, "logProbability": math.log(p)}],
                "topCandidates": [
                    {"candidates": [{"token": t, "logProbability": math.log(v)} for t, v in alts]}
                ],
            }
        words = sum(len(m["content"]) for m in messages) // 4
        return {
            "candidates": [cand],
            "usageMetadata": {
                "promptTokenCount": words,
                "candidatesTokenCount": len(text) // 4 + 1,
                "totalTokenCount": words + len(text) // 4 + 1,
            },
            "modelVersion": "gemini-2.0-flash-001",
        }

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
