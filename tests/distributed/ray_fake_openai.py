"""A tiny OpenAI-compatible chat server on 127.0.0.1 that answers deterministically.

It exists to *record* a study once (the engine's response cache, exported as a
replay file); the Ray tests then replay that recording on a cluster.
A request that contains one of the known code bodies is an elicitation
(answered ``Confidence: NN%``); one that contains a task prompt is a
generation (answered with the secure or the insecure reference, chosen by a
hash of the request).
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Mapping, Sequence
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from seccal.core.task import Task


def _h(text: str) -> int:
    return int(hashlib.sha256(text.encode()).hexdigest()[:8], 16)


class FakeOpenAI:
    """Serve ``/v1/chat/completions`` for ``tasks`` until the context exits."""

    def __init__(self, tasks: Sequence[Task]) -> None:
        self.tasks = list(tasks)
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", 0))
                body = json.loads(self.rfile.read(length))
                data = json.dumps(server.answer(body)).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:PORT/v1``."""
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}/v1"

    def __enter__(self) -> FakeOpenAI:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    def _text(self, body: Mapping[str, Any]) -> str:
        user = str(body["messages"][-1]["content"])
        key = json.dumps(body, sort_keys=True)
        for task in self.tasks:
            bodies = [
                (r or "")[len(task.prompt) :]
                for r in (task.secure_reference, task.insecure_reference)
            ]
            if any(b.strip() and b.strip() in user for b in bodies):
                return f"Confidence: {_h(key) % 101}%"
        for task in self.tasks:
            if task.prompt.strip() in user:
                code = task.secure_reference if _h(key) % 2 else task.insecure_reference
                return f"Here it is:\n\n```python\n{code}```\n"
        return "I cannot help with that."

    def answer(self, body: Mapping[str, Any]) -> dict[str, Any]:
        """The chat completion for ``body``."""
        text = self._text(body)
        return {
            "id": "fake",
            "object": "chat.completion",
            "created": 0,
            "model": body.get("model", "fake"),
            "choices": [
                {
                    "index": 0,
                    "message": {"role": "assistant", "content": text},
                    "finish_reason": "stop",
                    "logprobs": None,
                }
            ],
            "usage": {
                "prompt_tokens": len(json.dumps(body)) // 4,
                "completion_tokens": len(text) // 4,
                "total_tokens": len(json.dumps(body)) // 4 + len(text) // 4,
            },
        }
