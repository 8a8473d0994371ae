"""Small helpers shared by the HTTP providers."""

from __future__ import annotations

import re

from seccal.models.request import GenerationRequest, Message
from seccal.models.response import ErrorKind

# Hosted reasoning models that reject a `temperature` parameter.
_NO_TEMPERATURE = re.compile(r"^(o1|o3|o4|gpt-5)([-.].*)?$")


def kind_for_status(status: int) -> ErrorKind:
    """Error kind of an HTTP status code."""
    if status == 429:
        return ErrorKind.RATE_LIMIT
    if status in (401, 403):
        return ErrorKind.AUTH
    if status == 408:
        return ErrorKind.TIMEOUT
    if status >= 500 or status == 409:
        return ErrorKind.SERVER
    return ErrorKind.BAD_REQUEST


def rejects_temperature(model: str, params_flag: object) -> bool:
    """Whether ``model`` is known to reject ``temperature`` (``params_flag`` overrides).

    ``params_flag`` is ``ModelSpec.params.get("supports_temperature")``: ``True``/``False``
    decide; ``None`` falls back to the name pattern of reasoning models.
    """
    if isinstance(params_flag, bool):
        return not params_flag
    return bool(_NO_TEMPERATURE.match(model.rsplit("/", 1)[-1].lower()))


def is_temperature_rejection(message: str) -> bool:
    """Whether a 400 error says the temperature parameter is not supported."""
    text = message.lower()
    return "temperature" in text and any(
        w in text for w in ("unsupported", "not supported", "does not support", "only the default")
    )


def as_messages(request: GenerationRequest) -> tuple[tuple[Message, ...], tuple[str, ...]]:
    """Chat messages for a chat-only API; a raw prompt becomes one user message (noted)."""
    if request.prompt is None:
        return request.messages, ()
    note = "completion prompt sent as a single user message (chat-only API)"
    return (Message("user", request.prompt),), (note,)
