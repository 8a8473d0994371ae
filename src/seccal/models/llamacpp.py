"""Local GGUF models through llama.cpp (llama-cpp-python).

Which file: ``params.model_path`` (any GGUF, checked by :func:`seccal.models.gguf.read_gguf`),
else the spec's ``model`` names a catalogue entry of :mod:`seccal.models.local_models`
(``qwen2.5-coder-0.5b``, ``qwen2.5-coder-1.5b``, ``gemma3-270m``), assembled once into the
user cache. :func:`validate_spec` resolves and checks the file without loading it, so a
study fails on a missing or corrupt model before any work starts.

Chat: seccal writes the prompt itself in a known format (:mod:`seccal.models.chat_formats`;
``params.chat_format``, else the catalogue's, else recognised from the file's embedded
template, which is read but never executed). A base model (no format) takes completion
prompts only.

Speed: llama-cpp-python runs generation on ``cpu_count() // 2`` threads by default (one on
a 2-core machine: about 0.6x of two threads). llama.cpp's threads meet at a barrier in
every layer, so a thread whose CPU is taken by another process stalls all of them: on this
2-core machine, busy with other work, two threads generated 10-20x *slower* than one
(0.3-0.5 vs 5-6 tokens/s, same tokens). The default is therefore the usable CPUs that are
idle when the model is loaded (:func:`idle_cpus`: all of them on an otherwise idle machine),
looked at again between generations every :data:`RETUNE_S` seconds, so that a load that
comes or goes changes the thread count; ``params.n_threads`` fixes it. Results do not
depend on the thread count. Consecutive
prompts that share a prefix (the elicitation prompts of one snippet share the system
message, the task and the code) reuse llama.cpp's KV cache for that prefix and evaluate
only the rest; ``Usage.cached_input_tokens`` reports how many prompt tokens were reused.

Log-probs without ``logits_all``: ``logits_all=True`` makes llama.cpp copy the logits of
every position (262k floats per token for gemma3), which slows this model ~15x. Instead we
drive ``Llama.generate`` ourselves and, at each sampled token, read the one row of logits the
sampler just used (``llama_get_logits_ith(ctx, -1)``) and take its log-softmax in numpy:
about 0.2 ms per token, 0.5 ms with top alternatives.

Sampling defaults to plain temperature sampling (``top_k=0, min_p=0, top_p=1``), as the hosted
APIs do, so temperatures mean the same thing across providers; ``params`` may set
``top_k``, ``min_p``, ``repeat_penalty``. Each request gets a seed derived from
``request.seed`` and ``sample_index``, so samples are reproducible and distinct.

``params``: ``model_path``, ``chat_format`` (``chatml`` or ``none``), ``n_ctx`` (default
2048), ``n_threads`` and ``n_threads_batch`` (default: the idle usable CPUs), ``n_batch``,
``prompt_cache`` (default true), ``top_k``, ``min_p``, ``repeat_penalty``, ``verbose``.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import os
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import llama_cpp
import numpy as np

from seccal.errors import ConfigError
from seccal.models.base import Capabilities, ProviderError
from seccal.models.chat_formats import CHAT_FORMATS, detect_chat_format, format_chat
from seccal.models.gguf import GGUFInfo, read_gguf
from seccal.models.local_models import assemble, local_model
from seccal.models.request import GenerationRequest
from seccal.models.response import (
    ErrorKind,
    FinishReason,
    GenerationResponse,
    TokenLogprob,
    TopLogprob,
    Usage,
)
from seccal.models.spec import ModelSpec

DEFAULT_N_CTX = 2048


def usable_cpus() -> int:
    """CPUs this process may run on (its affinity mask; all CPUs where there is none)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _cpu_times() -> tuple[int, int]:
    with open("/proc/stat", encoding="ascii") as f:
        values = [int(v) for v in f.readline().split()[1:9]]
    return sum(values), values[3] + values[4]  # all, idle + iowait


#: Seconds between two looks at how many CPUs are idle (:meth:`LlamaCppProvider._generate`).
RETUNE_S = 30.0


def idle_cpus(sample_s: float = 0.25) -> int:
    """Usable CPUs that are idle now (``/proc/stat`` over ``sample_s``), at least 1.

    Where ``/proc/stat`` cannot be read, every usable CPU counts as idle.
    """
    usable = usable_cpus()
    try:
        total0, idle0 = _cpu_times()
        time.sleep(sample_s)
        total1, idle1 = _cpu_times()
    except (OSError, ValueError, IndexError):
        return usable
    busy = (1.0 - (idle1 - idle0) / max(total1 - total0, 1)) * (os.cpu_count() or usable)
    return max(1, min(usable, int(usable - busy + 0.5)))


def local_model_path(name: str) -> Path:
    """Path of the named local model's verified GGUF (assembled on first use)."""
    return assemble(local_model(name))


@dataclass(frozen=True, slots=True)
class ModelFile:
    """The checked GGUF a llamacpp spec resolves to, and the chat format applied to it."""

    path: Path
    chat_format: str | None
    info: GGUFInfo


def resolve_model_file(model: str, params: Mapping[str, Any]) -> ModelFile:
    """The GGUF file and chat format for ``model`` and ``params`` (no weights are loaded).

    Raises
    ------
    ConfigError
        Unknown named model, its packages not installed or not matching their pinned
        sums, or a ``model_path`` that is missing, not a GGUF or truncated; an unknown
        ``chat_format``.
    """
    fmt = params.get("chat_format")
    if fmt is not None and fmt not in (*CHAT_FORMATS, "none"):
        raise ConfigError(
            f"params.chat_format: unknown chat format {fmt!r}; "
            f"known: {', '.join(CHAT_FORMATS)}, none (base model)"
        )
    if params.get("model_path"):
        info = read_gguf(Path(str(params["model_path"])).expanduser())
        fmt = fmt or detect_chat_format(info.chat_template)
    else:
        entry = local_model(model)
        info = read_gguf(assemble(entry))
        fmt = fmt or entry.chat_format
    return ModelFile(info.path, None if fmt == "none" else fmt, info)


def validate_spec(spec: ModelSpec) -> ModelFile:
    """Check that ``spec``'s model file exists and is a complete GGUF, before any work.

    Raises
    ------
    ConfigError
        Naming the model (see :func:`resolve_model_file`).
    """
    try:
        return resolve_model_file(spec.model, spec.params)
    except ConfigError as exc:
        raise type(exc)(f"{spec.label}: {exc}") from None


def derive_seed(seed: int | None, sample_index: int) -> int:
    """A 32-bit seed unique to (seed, sample_index), stable across runs and machines."""
    blob = f"{seed if seed is not None else 0}:{sample_index}".encode()
    return int.from_bytes(hashlib.sha256(blob).digest()[:4], "little")


class LogSoftmax:
    """Log-probabilities from one row of raw logits, reusing one scratch buffer."""

    def __init__(self, n_vocab: int) -> None:
        self.n_vocab = n_vocab
        self._buf = np.empty(n_vocab, dtype=np.float32)

    def __call__(
        self, logits: np.ndarray[Any, Any], token: int, k: int
    ) -> tuple[float, list[tuple[int, float]]]:
        """``(logprob of token, [(id, logprob)] of the k most likely, best first)``."""
        top = float(logits.max())
        np.subtract(logits, top, out=self._buf)
        np.exp(self._buf, out=self._buf)
        lse = top + float(np.log(self._buf.sum(dtype=np.float64)))
        alts: list[tuple[int, float]] = []
        if k:
            ids = np.argpartition(logits, -k)[-k:]
            ids = ids[np.argsort(-logits[ids])]
            alts = [(int(i), float(logits[i]) - lse) for i in ids]
        return float(logits[token]) - lse, alts


class LlamaCppProvider:
    """Provider for a local GGUF model; one generation at a time (llama.cpp is single-stream)."""

    def __init__(self, spec: ModelSpec) -> None:
        params = spec.params
        resolved = validate_spec(spec)
        self.spec = spec
        self.model_file = resolved
        self._lib = llama_cpp
        n_threads = int(params.get("n_threads") or idle_cpus())
        # Threads follow the machine's load unless the spec fixes them: a study started
        # while another process was busy would otherwise keep one thread throughout.
        self._follow_load = not (params.get("n_threads") or params.get("n_threads_batch"))
        self._n_threads = n_threads
        self._threads_checked = time.monotonic()
        try:
            self._llm = llama_cpp.Llama(
                str(resolved.path),
                n_ctx=int(params.get("n_ctx", DEFAULT_N_CTX)),
                n_threads=n_threads,
                n_threads_batch=int(params.get("n_threads_batch") or n_threads),
                n_batch=int(params.get("n_batch", 512)),
                logits_all=False,
                verbose=bool(params.get("verbose", False)),
            )
        except (ValueError, RuntimeError) as exc:
            raise ConfigError(f"{spec.label}: cannot load {resolved.path}: {exc}") from exc
        self._n_vocab = int(self._llm.n_vocab())
        self._softmax = LogSoftmax(self._n_vocab)
        self._chat_format = resolved.chat_format
        self._prompt_cache = bool(params.get("prompt_cache", True))
        self._lock = asyncio.Lock()
        self._top_k = int(params.get("top_k", 0))
        self._min_p = float(params.get("min_p", 0.0))
        self._repeat_penalty = float(params.get("repeat_penalty", 1.0))

    @property
    def capabilities(self) -> Capabilities:
        """Completion prompts and log-probs; chat when the model has a known chat format."""
        return Capabilities(self._chat_format is not None, True, True, 20, max_concurrency=1)

    async def generate(self, request: GenerationRequest, *, timeout_s: float) -> GenerationResponse:
        """One generation in a worker thread; stops early if the caller gives up."""
        prompt = self._prompt(request)
        cancel = threading.Event()
        async with self._lock:
            work = asyncio.ensure_future(asyncio.to_thread(self._generate, prompt, request, cancel))
            try:
                return await asyncio.shield(work)
            except asyncio.CancelledError:
                # Timed out or cancelled: stop at the next token and keep the lock until
                # the thread has let go of the model (llama.cpp is not re-entrant).
                cancel.set()
                with contextlib.suppress(BaseException):
                    await work
                raise

    def _prompt(self, request: GenerationRequest) -> str:
        if request.prompt is not None:
            return request.prompt
        if self._chat_format is None:
            raise ProviderError(
                ErrorKind.UNSUPPORTED,
                f"{self.spec.label} is a base model without a chat format: "
                "send a completion prompt (GenerationRequest(prompt=...)), or set "
                "params.chat_format",
            )
        return format_chat(request.messages, self._chat_format)

    def _piece(self, token: int) -> bytes:
        return bytes(self._llm.detokenize([token]))

    def _reuse_prefix(self, tokens: list[int]) -> int:
        """Keep the KV cache of the longest prefix shared with the previous prompt.

        At least the last prompt token is evaluated again: its logits start sampling.
        """
        llm = self._llm
        n = min(int(llm.n_tokens), len(tokens) - 1) if self._prompt_cache else 0
        if n > 0:
            same = np.asarray(tokens[:n], dtype=np.intc) == llm.input_ids[:n]
            n = n if bool(same.all()) else int(np.argmin(same))
        llm.n_tokens = max(n, 0)  # the next eval drops the cache beyond this point
        return llm.n_tokens

    def _follow_idle_cpus(self) -> None:
        """At most every :data:`RETUNE_S`: use as many threads as CPUs are idle now.

        Sampled between generations, when this provider's own threads rest (0.1 s
        each time, under 1% of the generation time it tunes).
        """
        if not self._follow_load or time.monotonic() - self._threads_checked < RETUNE_S:
            return
        n = idle_cpus(0.1)
        self._threads_checked = time.monotonic()
        if n != self._n_threads:
            self._llm._ctx.set_n_threads(n, n)
            self._n_threads = n

    @property
    def n_threads(self) -> int:
        """Threads llama.cpp generates with now."""
        return self._n_threads

    def _generate(
        self, prompt: str, request: GenerationRequest, cancel: threading.Event
    ) -> GenerationResponse:
        self._follow_idle_cpus()
        llm, lib = self._llm, self._lib
        tokens = llm.tokenize(prompt.encode("utf-8"), add_bos=True, special=True)
        n_ctx = llm.n_ctx()
        if len(tokens) >= n_ctx:
            raise ProviderError(
                ErrorKind.BAD_REQUEST,
                f"prompt of {len(tokens)} tokens does not fit n_ctx={n_ctx} (params.n_ctx)",
            )
        budget = min(request.max_tokens, n_ctx - len(tokens))
        notes: list[str] = []
        if budget < request.max_tokens:
            notes.append(f"max_tokens cut to {budget} by n_ctx={n_ctx}")
        temperature = 0.8 if request.temperature is None else request.temperature
        llm.set_seed(derive_seed(request.seed, request.sample_index))
        cached = self._reuse_prefix(tokens)
        stops = [s.encode("utf-8") for s in request.stop]
        k = request.top_logprobs if request.logprobs else 0
        vocab = llm._model.vocab
        ctx = llm._ctx.ctx
        out: list[int] = []
        text = b""
        piece_ends: list[int] = []  # byte length of text after each token
        logprobs: list[tuple[int, float, list[tuple[int, float]]]] = []
        finish = FinishReason.LENGTH
        for token in llm.generate(
            tokens[cached:],
            reset=False,
            temp=temperature,
            top_p=request.top_p if request.top_p is not None else 1.0,
            top_k=self._top_k,
            min_p=self._min_p,
            repeat_penalty=self._repeat_penalty,
        ):
            if cancel.is_set():
                finish = FinishReason.OTHER
                notes.append("generation abandoned by the caller")
                break
            if request.logprobs:
                # The sampler has just used this row; the next eval overwrites it.
                row = np.ctypeslib.as_array(
                    lib.llama_get_logits_ith(ctx, -1), shape=(self._n_vocab,)
                )
                lp, alts = self._softmax(row, token, k)
                logprobs.append((token, lp, alts))
            if lib.llama_vocab_is_eog(vocab, token):
                finish = FinishReason.STOP
                if request.logprobs:
                    logprobs.pop()  # the end token is not part of the text
                break
            text += self._piece(token)
            out.append(token)
            piece_ends.append(len(text))
            cut = min((i for i in (text.find(s) for s in stops) if i >= 0), default=-1)
            if cut >= 0:
                text = text[:cut]
                finish = FinishReason.STOP
                # Keep the tokens that contribute text before the cut.
                starts = [0, *piece_ends[:-1]]
                logprobs = logprobs[: sum(1 for start in starts if start < cut)]
                break
            if len(out) >= budget:
                break
        return GenerationResponse(
            text=text.decode("utf-8", errors="replace"),
            finish_reason=finish,
            logprobs=self._token_logprobs(logprobs) if request.logprobs else None,
            usage=Usage(len(tokens), len(out), cached_input_tokens=cached),
            model_version=self.spec.model,
            notes=tuple(notes),
        )

    def _token_logprobs(
        self, raw: list[tuple[int, float, list[tuple[int, float]]]]
    ) -> tuple[TokenLogprob, ...]:
        def text(tok: int) -> str:
            return self._piece(tok).decode("utf-8", errors="replace")

        return tuple(
            TokenLogprob(text(tok), lp, tuple(TopLogprob(text(i), v) for i, v in alts))
            for tok, lp, alts in raw
        )

    async def aclose(self) -> None:
        """Free the model."""
        async with self._lock:
            self._llm.close()
