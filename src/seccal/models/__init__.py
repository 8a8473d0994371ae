"""Model providers and the generation engine.

Public surface: request/response types and :class:`Provider` (:mod:`.base`),
:func:`create_provider` (:mod:`.registry`), :class:`Engine` (:mod:`.engine`).
"""

from seccal.models.base import (
    Capabilities,
    ErrorInfo,
    ErrorKind,
    FinishReason,
    GenerationRequest,
    GenerationResponse,
    Limits,
    Message,
    ModelSpec,
    Provider,
    ProviderError,
    TokenLogprob,
    TopLogprob,
    Usage,
)
from seccal.models.engine import Engine, Job, ModelTotals
from seccal.models.registry import create_provider, provider_names, register_provider

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
]
