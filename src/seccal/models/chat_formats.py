"""Chat formats seccal applies itself to local models (never the file's embedded template).

A GGUF file may carry a Jinja chat template; executing a template from a file of unknown
origin is running its code, so seccal writes the prompt itself from a format it knows and
only *reads* the embedded template to recognise which format the file expects.

``chatml`` (Qwen2.5, many others)::

    <|im_start|>system
    You are ...<|im_end|>
    <|im_start|>user
    Write ...<|im_end|>
    <|im_start|>assistant

The reply ends with ``<|im_end|>``, an end-of-generation token of these models.
"""

from __future__ import annotations

from collections.abc import Sequence

from seccal.errors import ConfigError
from seccal.models.request import Message

CHAT_FORMATS = ("chatml",)

_CHATML_MARK = "<|im_start|>"


def chatml(messages: Sequence[Message]) -> str:
    """ChatML text of ``messages``, ending where the assistant's reply starts.

    Examples
    --------
    >>> print(chatml([Message("system", "Be brief."), Message("user", "Hi")]), end="|")
    <|im_start|>system
    Be brief.<|im_end|>
    <|im_start|>user
    Hi<|im_end|>
    <|im_start|>assistant
    |
    """
    turns = "".join(f"<|im_start|>{m.role}\n{m.content}<|im_end|>\n" for m in messages)
    return turns + "<|im_start|>assistant\n"


def format_chat(messages: Sequence[Message], chat_format: str) -> str:
    """The prompt text of ``messages`` in ``chat_format``.

    Raises
    ------
    ConfigError
        ``chat_format`` is not one of :data:`CHAT_FORMATS`.
    """
    if chat_format == "chatml":
        return chatml(messages)
    raise ConfigError(f"unknown chat_format {chat_format!r}; known: {', '.join(CHAT_FORMATS)}")


def detect_chat_format(template: str | None) -> str | None:
    """The known format an embedded template uses (read as text, not run), or ``None``.

    >>> detect_chat_format("{% for m in messages %}<|im_start|>{{ m.role }}...")
    'chatml'
    >>> detect_chat_format(None) is None
    True
    """
    if template and _CHATML_MARK in template:
        return "chatml"
    return None
