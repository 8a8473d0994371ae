"""seccal's llamacpp provider vs llama.cpp driven directly, on the default study's prompts.

Same GGUF, same prompt tokens (the default study's ChatML generation prompts), same sampling
(temperature 0.8, top_k=0, top_p=1, min_p=0, same seed), same threads. Measured apart, in
the same run and interleaved so machine load hits both alike:

* **prompt processing** (tokens/s): time to the first sampled token, prompt cache off /
  state reset, divided by the prompt's tokens;
* **generation** (tokens/s): (output tokens - 1) / (time for N tokens - time to first token),
  with log-probs on for seccal (as in a study) and off;
* **KV prefix reuse**: the six elicitation calls of one snippet (verbal security and
  functional, P(True), three self-consistency samples) with and without seccal's prompt
  cache: prompt tokens evaluated and wall time.

The direct path is ``llama_cpp.Llama.generate`` (llama.cpp's decode and sampler chain, no
seccal code), with the threads seccal uses and, for reference, with llama-cpp-python's
default (``cpu_count() // 2``: what seccal used before). Target: seccal >= 0.9x direct.

Usage: ``PYTHONPATH=src python benchmarks/bench_llamacpp.py [--model qwen2.5-coder-0.5b]
[--tasks 4] [--rounds 2] [--max-tokens 96]``
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import statistics
import time
from typing import Any

import llama_cpp

from seccal.elicit.prompts import chat_confidence_prompt, chat_yes_no_prompt
from seccal.models import GenerationRequest, Message, ModelSpec
from seccal.models.chat_formats import chatml
from seccal.models.llamacpp import LlamaCppProvider, derive_seed, usable_cpus
from seccal.study import parse_study
from seccal.study.generate import generation_request
from seccal.study.plan import build_plan

TEMPERATURE = 0.8
TASKS = ["sqli-user-lookup", "cmdi-disk-usage", "path-user-notes", "xss-search-results"]
TASKS += ["ssrf-webhook-check", "deser-yaml-config", "redirect-login-next", "codei-calculator"]


def study_requests(model: str, n_tasks: int, max_tokens: int) -> list[GenerationRequest]:
    """The default study's generation requests (chat form) for the first ``n_tasks`` tasks."""
    config = parse_study(
        {
            "study": {"name": "bench", "temperatures": [TEMPERATURE], "max_tokens": max_tokens},
            "models": [{"provider": "llamacpp", "model": model, "form": "chat"}],
            "suites": [{"name": "builtin", "tasks": TASKS[:n_tasks]}],
        }
    )
    return [generation_request(i, config, logprobs=True) for i in build_plan(config).items()]


class Direct:
    """llama.cpp through its binding's ``generate``: decode + native sampler, nothing else."""

    def __init__(self, path: str, n_threads: int) -> None:
        self.llm = llama_cpp.Llama(
            path, n_ctx=2048, n_threads=n_threads, n_threads_batch=n_threads, verbose=False
        )

    def run(self, request: GenerationRequest, max_tokens: int) -> tuple[float, int]:
        """(seconds, output tokens) for up to ``max_tokens`` tokens from a reset state."""
        llm = self.llm
        tokens = llm.tokenize(chatml(request.messages).encode(), add_bos=True, special=True)
        llm.reset()
        llm.set_seed(derive_seed(request.seed, request.sample_index))
        t0, n = time.perf_counter(), 0
        for token in llm.generate(
            tokens, temp=TEMPERATURE, top_k=0, top_p=1.0, min_p=0.0, repeat_penalty=1.0
        ):
            if llama_cpp.llama_vocab_is_eog(llm._model.vocab, token):
                break
            n += 1
            if n >= max_tokens:
                break
        return time.perf_counter() - t0, n


def _with(request: GenerationRequest, **kw: Any) -> GenerationRequest:
    d = request.to_dict() | kw
    d["messages"] = tuple(Message(m["role"], m["content"]) for m in d["messages"])
    d["stop"] = tuple(d["stop"])
    return GenerationRequest(**d)


async def _seccal(
    prov: LlamaCppProvider, request: GenerationRequest
) -> tuple[float, int, int, int]:
    """(seconds, output tokens, input tokens, cached input tokens) of one provider call."""
    t0 = time.perf_counter()
    resp = await prov.generate(request, timeout_s=600)
    assert resp.ok, resp.error
    u = resp.usage
    return time.perf_counter() - t0, u.output_tokens, u.input_tokens, u.cached_input_tokens


def bench(model: str, n_tasks: int, rounds: int, max_tokens: int, threads: int) -> None:
    params = {"n_threads": threads}
    cold = LlamaCppProvider(ModelSpec("llamacpp", model, params={**params, "prompt_cache": False}))
    warm = LlamaCppProvider(ModelSpec("llamacpp", model, params=params))
    path = str(cold.model_file.path)
    directs = {f"direct ({threads} threads)": Direct(path, threads)}
    lib_default = max(multiprocessing.cpu_count() // 2, 1)
    if lib_default != threads:
        directs[f"direct ({lib_default}, binding default)"] = Direct(path, lib_default)
    requests = study_requests(model, n_tasks, max_tokens)
    prompt: dict[str, list[float]] = {k: [] for k in [*directs, "seccal"]}
    gen: dict[str, list[float]] = {k: [] for k in [*directs, "seccal", "seccal no logprobs"]}

    async def main() -> None:
        for _ in range(rounds):
            for req in requests:
                one, full = _with(req, max_tokens=1), _with(req, max_tokens=max_tokens)
                for name, d in directs.items():
                    t1, _ = d.run(one, 1)
                    tn, n = d.run(full, max_tokens)
                    n_in = len(d.llm.tokenize(chatml(req.messages).encode(), special=True))
                    prompt[name].append(n_in / t1)
                    gen[name].append((n - 1) / max(tn - t1, 1e-9))
                s1, _, n_in, cached = await _seccal(cold, one)
                assert cached == 0
                prompt["seccal"].append(n_in / s1)
                for name, r in (
                    ("seccal", full),
                    ("seccal no logprobs", _with(full, logprobs=False)),
                ):
                    sn, n, _, _ = await _seccal(cold, r)
                    gen[name].append((n - 1) / max(sn - s1, 1e-9))

    asyncio.run(main())
    base = next(iter(directs))
    print(
        f"\n== {model}: {len(requests)} default-study prompts x {rounds} rounds, "
        f"{max_tokens} tokens, T={TEMPERATURE}, {threads} threads"
    )
    for title, table in (("prompt processing", prompt), ("generation", gen)):
        ref = statistics.median(table[base])
        print(f"{title}:")
        for name, vals in table.items():
            med = statistics.median(vals)
            print(f"  {name:32s} {med:7.1f} tokens/s   {med / ref:5.2f}x {base}")
    bench_prefix(cold, warm, requests[0])
    for p in (cold, warm):
        asyncio.run(p.aclose())


def bench_prefix(cold: LlamaCppProvider, warm: LlamaCppProvider, req: GenerationRequest) -> None:
    """The six elicitation calls of one snippet, with and without the prompt cache."""
    task = req.messages[-1].content
    code = "import os\n\ndef disk_usage(path):\n    return os.popen('du -sh ' + path).read()\n"
    msgs = [
        chat_confidence_prompt(task=task, code=code, target="security", variant="zero_shot"),
        chat_confidence_prompt(task=task, code=code, target="functional", variant="zero_shot"),
        *[chat_yes_no_prompt(task=task, code=code)] * 4,
    ]
    calls = [
        GenerationRequest(
            messages=tuple(Message(m["role"], m["content"]) for m in ms),  # type: ignore[arg-type]
            temperature=1.0 if i >= 3 else 0.0,
            max_tokens=8 if i != 2 else 1,
            sample_index=max(i - 3, 0),
        )
        for i, ms in enumerate(msgs)
    ]

    async def run(prov: LlamaCppProvider) -> tuple[float, int, int]:
        t0, n_in, cached = time.perf_counter(), 0, 0
        for c in calls:
            _, _, i, k = await _seccal(prov, c)
            n_in, cached = n_in + i, cached + k
        return time.perf_counter() - t0, n_in, cached

    print("elicitation of one snippet (6 calls sharing task + code):")
    for name, prov in (("prompt cache off", cold), ("prompt cache on", warm)):
        # Before a snippet's elicitation the cache holds another prompt (here: a generation's).
        asyncio.run(_seccal(prov, _with(req, max_tokens=1)))
        wall, n_in, cached = asyncio.run(run(prov))
        print(
            f"  {name:18s} {wall:6.2f} s   prompt tokens {n_in}, reused from the KV cache "
            f"{cached} ({cached / n_in:.0%}), evaluated {n_in - cached}"
        )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", default="qwen2.5-coder-0.5b")
    ap.add_argument("--tasks", type=int, default=4)
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--max-tokens", type=int, default=96)
    ap.add_argument(
        "--threads", type=int, default=usable_cpus(), help="default: all usable CPUs (as seccal)"
    )
    args = ap.parse_args()
    bench(args.model, args.tasks, args.rounds, args.max_tokens, args.threads)


if __name__ == "__main__":
    main()
