"""Chat formats seccal writes itself (ChatML), and recognising one in an embedded template."""

from __future__ import annotations

import pytest

from seccal.errors import ConfigError
from seccal.models import Message
from seccal.models.chat_formats import chatml, detect_chat_format, format_chat

# Qwen2.5's embedded template (abridged): what the model was trained on, as text.
QWEN_TEMPLATE = (
    "{%- for message in messages %}{{- '<|im_start|>' + message.role + '\\n' + "
    "message.content + '<|im_end|>' + '\\n' }}{%- endfor %}"
    "{%- if add_generation_prompt %}{{- '<|im_start|>assistant\\n' }}{%- endif %}"
)


def test_chatml_matches_qwen_template_output() -> None:
    messages = [
        Message("system", "You are a reviewer."),
        Message("user", "Is this safe?\n```python\nx = 1\n```"),
        Message("assistant", "Confidence: 90%"),
        Message("user", "And this?"),
    ]
    assert chatml(messages) == (
        "<|im_start|>system\nYou are a reviewer.<|im_end|>\n"
        "<|im_start|>user\nIs this safe?\n```python\nx = 1\n```<|im_end|>\n"
        "<|im_start|>assistant\nConfidence: 90%<|im_end|>\n"
        "<|im_start|>user\nAnd this?<|im_end|>\n"
        "<|im_start|>assistant\n"
    )
    assert format_chat(messages, "chatml") == chatml(messages)


def test_prompts_sharing_a_prefix_share_its_text() -> None:
    """The KV cache can only reuse what is textually shared: the format must not reorder."""
    head = [Message("system", "S"), Message("user", "Task: t\nCode: c\n\nQuestion A")]
    other = [Message("system", "S"), Message("user", "Task: t\nCode: c\n\nQuestion B")]
    a, b = chatml(head), chatml(other)
    assert a[: a.index("Question")] == b[: b.index("Question")]


def test_unknown_format_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="unknown chat_format 'llama9'; known: chatml"):
        format_chat([Message("user", "x")], "llama9")


def test_detects_chatml_from_template_text() -> None:
    assert detect_chat_format(QWEN_TEMPLATE) == "chatml"
    assert detect_chat_format("{{ bos_token }}<start_of_turn>user") is None
    assert detect_chat_format("") is None
