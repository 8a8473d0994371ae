"""The generate stage: ask each model for each planned snippet and store it at once.

Prompts depend on the generation variant (:mod:`seccal.study.gen_prompts`): chat
models get the task's code prefix in a fenced block with a request to complete it,
base models (``form = "completion"``) continue the prefix itself; few-shot variants
show a worked example first, CoT variants ask for reasoning before the code (stored
in ``reasoning``, never judged). Each answer is written to the store the moment it returns, so a
killed run loses at most the calls in flight — and those are in the engine's
response cache, so a re-run does not pay for them again.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from seccal.core.config import ModelConfig, StudyConfig
from seccal.core.task import Task
from seccal.elicit.extract import CodeExtraction, extract_code
from seccal.errors import ConfigError
from seccal.models import (
    Engine,
    ErrorKind,
    GenerationRequest,
    GenerationResponse,
    Job,
    Limits,
    ModelSpec,
    TokenLogprob,
)
from seccal.repo.apply import extract_code as extract_region
from seccal.study import gen_prompts
from seccal.study.plan import PlannedGeneration
from seccal.study.store import GenerationRecord, RunStore

#: Errors that say the request itself cannot be served: stored, never retried.
PERMANENT_ERRORS = frozenset({ErrorKind.BAD_REQUEST, ErrorKind.UNSUPPORTED})


def model_spec(model: ModelConfig) -> ModelSpec:
    """The :class:`~seccal.models.ModelSpec` of a configured model.

    Raises
    ------
    ConfigError
        Naming the model when its limits are invalid.
    """
    try:
        limits = Limits(**dict(model.limits))
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"model {model.name!r}: limits: {exc}") from None
    return ModelSpec(
        provider=model.provider,
        model=model.model,
        base_url=model.base_url,
        params=dict(model.params),
        api_key_env=model.api_key_env,
        limits=limits,
    )


def generation_request(
    item: PlannedGeneration, config: StudyConfig, *, logprobs: bool
) -> GenerationRequest:
    """The request that asks ``item.model`` for ``item.task``'s code (its generation variant)."""
    return gen_prompts.generation_request(
        item.task,
        item.variant,
        form=item.model.form,
        config=config,
        temperature=item.temperature,
        sample=item.sample,
        logprobs=logprobs,
    )


def code_logprobs(
    reply: str, tokens: Sequence[TokenLogprob] | None, code_part: str | None
) -> list[float] | None:
    """Log-probs of the generated tokens that make up the code.

    The tokens that overlap the span of ``code_part`` inside ``reply`` (prose
    and fences around a code block are not code); all tokens when the span is
    not found.
    """
    if not tokens:
        return None
    start = reply.find(code_part) if code_part else -1
    if start < 0:
        return [t.logprob for t in tokens]
    end = start + len(code_part or "")
    selected = []
    pos = 0
    for token in tokens:
        t_end = pos + len(token.token)
        if t_end > start and pos < end:
            selected.append(token.logprob)
        pos = t_end
    return selected or [t.logprob for t in tokens]


def extract_for_task(reply: str, task: Task, *, completion: bool) -> CodeExtraction:
    """Code of a reply: a self-contained module, or the code block other kinds' judges use
    (a repository task's masked region, a CWEval native program)."""
    if task.kind == "snippet":
        return extract_code(reply, prompt=task.prompt, completion=completion)
    region = extract_region(reply, task.language)
    if not region.strip():
        return CodeExtraction(None, "none", False, "reply holds no code for the masked region")
    return CodeExtraction(region, "fenced" if "```" in reply else "bare", False)


def parse_flag(extraction: CodeExtraction, task: Task) -> bool | None:
    """Whether the code parses, as stored: ``None`` when there is no code, or when it is
    a region or program whose syntax seccal does not check (the build or the test run
    says whether it compiles), never ``False`` for what was not checked."""
    if extraction.code is None or task.kind != "snippet":
        return None
    return extraction.parses


def to_record(item: PlannedGeneration, response: GenerationResponse) -> GenerationRecord:
    """The store record of one answered (or permanently failed) generation."""
    base = GenerationRecord(
        gen_id=item.gen_id,
        model=item.model.name,
        provider=item.model.provider,
        model_id=item.model.model,
        temperature=item.temperature,
        sample=item.sample,
        suite=item.suite,
        task_key=item.task.key,
        finish_reason=str(response.finish_reason),
        tokens_in=response.usage.input_tokens,
        tokens_out=response.usage.output_tokens,
        cost_usd=response.cost_usd or 0.0,
        temperature_applied=response.temperature_applied,
        cached=response.cached,
        gen_variant=item.variant,
    )
    if response.error is not None:
        error = f"{response.error.kind}: {response.error.message}"
        return replace(base, error=error, extraction="none")
    reply = response.text or ""
    completion = item.model.form == "completion"
    reasoning, code_reply = gen_prompts.split_reasoning(
        reply, item.variant, form=item.model.form, language=item.task.language
    )
    extraction = extract_for_task(code_reply, item.task, completion=completion)
    seq = None
    n_tokens = None
    if response.logprobs:
        # The continuation is the code (after the prompt); a chat reply's code
        # is the part of the reply that extraction kept.
        code_part = None
        if extraction.code is not None and not completion:
            code_part = extraction.code.strip()
        elif extraction.code is not None:
            code_part = extraction.code[len(item.task.prompt) :].rstrip()
        values = [
            v
            for v in code_logprobs(
                code_reply, _code_tokens(reply, code_reply, response.logprobs), code_part
            )
            or []
            if math.isfinite(v)
        ]
        if values:
            seq = sum(values) / len(values)
            n_tokens = len(values)
    return replace(
        base,
        reply=reply,
        code=extraction.code,
        extraction=extraction.method,
        parses=parse_flag(extraction, item.task),
        extraction_note=extraction.reason or (response.refusal and f"refusal: {response.refusal}"),
        seq_logprob=seq,
        n_tokens=n_tokens,
        reasoning=reasoning,
    )


def _code_tokens(
    reply: str, code_reply: str, tokens: Sequence[TokenLogprob] | None
) -> Sequence[TokenLogprob] | None:
    """The tokens of ``code_reply``, the tail of ``reply`` after a CoT reasoning part."""
    skip = len(reply) - len(code_reply)
    if not tokens or skip <= 0:
        return tokens
    pos = 0
    for i, token in enumerate(tokens):
        if pos >= skip:
            return tokens[i:]
        pos += len(token.token)
    return ()


@dataclass(slots=True)
class StageResult:
    """Counts of one stage run."""

    done_before: int = 0
    stored: int = 0
    failed: int = 0
    cost_usd: float = 0.0


async def run_generate(
    items: Sequence[PlannedGeneration],
    *,
    config: StudyConfig,
    store: RunStore,
    engine: Engine,
    on_progress: Callable[[int, float], None] | None = None,
) -> StageResult:
    """Generate every planned snippet the store does not hold yet.

    Parameters
    ----------
    on_progress:
        Called with ``(items finished, cost of the item)`` after each answer.

    Returns
    -------
    StageResult
        ``failed`` counts transient failures (rate limits, timeouts, cost
        limit) left for the next run; permanent failures are stored.
    """
    done = store.generation_ids()
    pending = [it for it in items if it.gen_id not in done]
    result = StageResult(done_before=len(items) - len(pending))
    want_logprobs = "likelihood" in config.elicit.methods
    specs = {m.name: model_spec(m) for m in config.models}
    jobs = []
    for item in pending:
        spec = specs[item.model.name]
        logprobs = want_logprobs and engine.prepare(spec).capabilities.logprobs
        jobs.append(Job(spec, generation_request(item, config, logprobs=logprobs), tag=item))

    def on_result(_: int, job: Job, response: GenerationResponse) -> None:
        item: PlannedGeneration = job.tag
        if response.error is not None and response.error.kind not in PERMANENT_ERRORS:
            result.failed += 1
        else:
            result.stored += store.put_generations([to_record(item, response)])
            result.cost_usd += response.cost_usd or 0.0
        if on_progress is not None:
            on_progress(1, response.cost_usd or 0.0)

    await engine.run(jobs, on_result=on_result)
    return result
