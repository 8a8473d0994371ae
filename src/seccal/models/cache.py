"""Persistent response cache (SQLite, WAL) keyed by everything that decides an answer.

The key covers provider, model, base URL, output-shaping params, the messages or prompt, the
sampling settings and the sample index, so ``n`` samples at one temperature stay distinct and a
re-run finds each paid answer again. Only answers are cached, never failures (a re-run retries
those). API keys are never part of a spec or request, so they cannot reach the file.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from seccal.errors import InputError
from seccal.models.base import GenerationRequest, GenerationResponse, ModelSpec

KEY_VERSION = 1


def cache_key_from_dicts(identity: dict[str, Any], request: dict[str, Any]) -> str:
    """Cache key from a spec identity and a request, both in their dict forms."""
    payload = {"v": KEY_VERSION, "spec": identity, "request": request}
    blob = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def cache_key(spec: ModelSpec, request: GenerationRequest) -> str:
    """The cache key of ``request`` sent to ``spec`` (hex SHA-256)."""
    return cache_key_from_dicts(spec.identity(), request.to_dict())


_SCHEMA = """
CREATE TABLE IF NOT EXISTS responses (
    key TEXT PRIMARY KEY,
    spec TEXT NOT NULL,
    request TEXT NOT NULL,
    response TEXT NOT NULL,
    created REAL NOT NULL
)
"""


class ResponseCache:
    """SQLite-backed store of model answers.

    Thread-safe: one connection guarded by a lock (the engine calls it from a worker
    thread so the event loop never blocks on disk).

    Parameters
    ----------
    path:
        Database file; created with its parent directory if missing.
    """

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self._conn = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
            self._conn.execute("PRAGMA journal_mode=WAL")
            self._conn.execute("PRAGMA synchronous=NORMAL")
            self._conn.execute(_SCHEMA)
        except sqlite3.DatabaseError as exc:
            raise InputError(f"{self.path}: not a usable response cache: {exc}") from exc
        self._lock = threading.Lock()

    def get(self, key: str) -> GenerationResponse | None:
        """The cached answer for ``key``, marked ``cached=True``, or ``None``."""
        with self._lock:
            row = self._conn.execute("SELECT response FROM responses WHERE key = ?", (key,))
            found = row.fetchone()
        if found is None:
            return None
        data = json.loads(found[0])
        data["cached"] = True
        return GenerationResponse.from_dict(data)

    def put(
        self,
        key: str,
        spec: ModelSpec,
        request: GenerationRequest,
        response: GenerationResponse,
    ) -> None:
        """Store an answer (failures are ignored: only answers are worth keeping)."""
        if not response.ok:
            return
        row = (
            key,
            json.dumps(spec.identity(), sort_keys=True),
            json.dumps(request.to_dict(), sort_keys=True),
            json.dumps(response.to_dict()),
            time.time(),
        )
        with self._lock:
            self._conn.execute("INSERT OR REPLACE INTO responses VALUES (?, ?, ?, ?, ?)", row)

    def __len__(self) -> int:
        with self._lock:
            (n,) = self._conn.execute("SELECT COUNT(*) FROM responses").fetchone()
        return int(n)

    def records(self) -> Iterator[dict[str, Any]]:
        """Every entry as ``{"key", "spec", "request", "response"}`` (replay-file records)."""
        with self._lock:
            rows = self._conn.execute(
                "SELECT key, spec, request, response FROM responses ORDER BY created"
            ).fetchall()
        for key, spec, request, response in rows:
            yield {
                "key": key,
                "spec": json.loads(spec),
                "request": json.loads(request),
                "response": json.loads(response),
            }

    def export_jsonl(self, path: str | Path) -> int:
        """Write every entry as one JSON line (the replay provider reads this); returns count."""
        n = 0
        with open(path, "w", encoding="utf-8") as fh:
            for record in self.records():
                fh.write(json.dumps(record, ensure_ascii=False) + "\n")
                n += 1
        return n

    def close(self) -> None:
        """Close the database."""
        with self._lock:
            self._conn.close()
