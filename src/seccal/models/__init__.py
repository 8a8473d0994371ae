"""Model providers and the generation engine.

Public surface: requests (:mod:`.request`), responses (:mod:`.response`), model specs
(:mod:`.spec`), the one-attempt :class:`Provider` boundary (:mod:`.base`),
:func:`create_provider` (:mod:`.registry`), :class:`Engine` (:mod:`.engine`); the in-process
``mockllm`` provider (:mod:`.mock`) for tests and dry runs.

Example (a study-style batch; every answer is handed over as soon as it exists)::

    spec = ModelSpec("openai", "gpt-4o-mini", limits=Limits(concurrency=16))
    local = ModelSpec("llamacpp", "qwen2.5-coder-0.5b")   # named local model (CPU)
    jobs = [
        Job(spec, GenerationRequest.chat(("user", text), temperature=t, sample_index=i))
        for t in (0.0, 0.4, 0.8) for i in range(3)
    ] + [Job(local, GenerationRequest(prompt=code_prefix, logprobs=True, top_logprobs=5))]
    async with Engine(cache="run/cache.sqlite", cost_limit_usd=5.0) as engine:
        await engine.run(jobs, on_result=lambda i, job, resp: store.save(job, resp))
        print(engine.totals(), engine.stop_reason)

Providers: ``openai``, ``openai-compat``, ``vllm``, ``ollama``, ``openrouter``, ``dashscope``,
``gemini``, ``anthropic``, ``llamacpp``, ``replay``, ``mockllm``. API keys come from environment
variables (``OPENAI_API_KEY``, ``GEMINI_API_KEY``/``GOOGLE_API_KEY``, ``ANTHROPIC_API_KEY``,
``DASHSCOPE_API_KEY``, ``OPENROUTER_API_KEY``, or ``ModelSpec.api_key_env``).
"""

from seccal.models.base import Capabilities, Provider, ProviderError
from seccal.models.engine import Engine, Job, ModelTotals
from seccal.models.registry import (
    create_provider,
    provider_names,
    register_provider,
    validate_spec,
)
from seccal.models.request import GenerationRequest, Message
from seccal.models.response import (
    ErrorInfo,
    ErrorKind,
    FinishReason,
    GenerationResponse,
    TokenLogprob,
    TopLogprob,
    Usage,
)
from seccal.models.spec import Limits, ModelSpec

__all__ = [
    "Capabilities",
    "Engine",
    "ErrorInfo",
    "ErrorKind",
    "FinishReason",
    "GenerationRequest",
    "GenerationResponse",
    "Job",
    "Limits",
    "Message",
    "ModelSpec",
    "ModelTotals",
    "Provider",
    "ProviderError",
    "TokenLogprob",
    "TopLogprob",
    "Usage",
    "create_provider",
    "provider_names",
    "register_provider",
    "validate_spec",
]
