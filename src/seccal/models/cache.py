"""Persistent response cache (SQLite, WAL) keyed by everything that decides an answer.

The key covers provider, model, base URL, output-shaping params, the messages or prompt, the
sampling settings and the sample index, so ``n`` samples at one temperature stay distinct and a
re-run finds each paid answer again. Only answers are cached, never failures (a re-run retries
those). API keys are never part of a spec or request, so they cannot reach the file.
:class:`CacheWriter` is how the engine writes: off the event loop, in batches.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import sqlite3
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from seccal.errors import InputError
from seccal.models.request import GenerationRequest
from seccal.models.response import GenerationResponse
from seccal.models.spec import ModelSpec, canonical_json

KEY_VERSION = 1


def _key(identity_json: str, request_json: str) -> str:
    # Same text as canonical_json({"request": ..., "spec": ..., "v": ...}) (sorted keys),
    # assembled from parts so a spec's JSON is computed once, not per call.
    blob = f'{{"request":{request_json},"spec":{identity_json},"v":{KEY_VERSION}}}'
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def cache_key_from_dicts(identity: dict[str, Any], request: dict[str, Any]) -> str:
    """Cache key from a spec identity and a request, both in their dict forms."""
    return _key(canonical_json(identity), canonical_json(request))


def cache_key(spec: ModelSpec, request: GenerationRequest) -> str:
    """The cache key of ``request`` sent to ``spec`` (hex SHA-256)."""
    return _key(spec.identity_json, canonical_json(request.to_dict()))


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

    Two connections: reads (cheap primary-key look-ups, served from the page cache) and
    writes, each behind its own lock. In WAL mode readers never wait for a writer, so the
    engine reads inline and hands batches of writes to one worker thread.

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
            self._reader = sqlite3.connect(self.path, check_same_thread=False)
        except sqlite3.DatabaseError as exc:
            raise InputError(f"{self.path}: not a usable response cache: {exc}") from exc
        self._lock = threading.Lock()
        self._read_lock = threading.Lock()

    def get(self, key: str) -> GenerationResponse | None:
        """The cached answer for ``key``, marked ``cached=True``, or ``None``."""
        with self._read_lock:
            row = self._reader.execute("SELECT response FROM responses WHERE key = ?", (key,))
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
        self.put_many([(key, spec, request, response)])

    def put_many(
        self, entries: list[tuple[str, ModelSpec, GenerationRequest, GenerationResponse]]
    ) -> None:
        """Store several answers in one transaction (one commit for a burst of answers)."""
        now = time.time()
        rows = [
            (
                key,
                spec.identity_json,
                canonical_json(request.to_dict()),
                json.dumps(response.to_dict()),
                now,
            )
            for key, spec, request, response in entries
            if response.ok
        ]
        if not rows:
            return
        with self._lock, self._conn:  # one transaction
            self._conn.execute("BEGIN")
            self._conn.executemany("INSERT OR REPLACE INTO responses VALUES (?, ?, ?, ?, ?)", rows)

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
        with self._lock, self._read_lock:
            self._reader.close()
            self._conn.close()


CacheEntry = tuple[str, ModelSpec, GenerationRequest, GenerationResponse]


class CacheWriter:
    """Writes answers to a :class:`ResponseCache` without blocking the event loop.

    One thread owns the cache's disk I/O, so the loop never waits on SQLite; answers stored
    in the same loop tick share one transaction (:meth:`ResponseCache.put_many`).
    """

    def __init__(self, cache: ResponseCache) -> None:
        self.cache = cache
        self._pending: list[CacheEntry] = []
        self._batch_done: asyncio.Future[None] | None = None
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="seccal-cache")

    async def store(self, entry: CacheEntry) -> None:
        """Persist an answer; returns once its batch is written (raises if that failed)."""
        self._pending.append(entry)
        if self._batch_done is None:
            loop = asyncio.get_running_loop()
            self._batch_done = loop.create_future()
            loop.call_soon(self._flush)  # let this tick's other answers join
        await asyncio.shield(self._batch_done)

    def _flush(self) -> None:
        batch, done = self._pending, self._batch_done
        self._pending, self._batch_done = [], None
        written = asyncio.get_running_loop().run_in_executor(self._pool, self.cache.put_many, batch)

        def finish(task: asyncio.Future[None]) -> None:
            if done is None or done.done():
                return
            if task.exception() is not None:
                done.set_exception(task.exception())  # type: ignore[arg-type]
            else:
                done.set_result(None)

        written.add_done_callback(finish)

    async def aclose(self) -> None:
        """Close the cache on its own thread, then stop the thread."""
        await asyncio.get_running_loop().run_in_executor(self._pool, self.cache.close)
        self._pool.shutdown(wait=True)
