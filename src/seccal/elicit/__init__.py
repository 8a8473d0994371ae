"""Confidence elicitation: code extraction, confidence prompts, parsers and scores."""

from seccal.elicit.extract import CodeExtraction, extract_code
from seccal.elicit.parse import ParsedConfidence, parse_confidence, parse_joint, parse_yes_no
from seccal.elicit.prompts import (
    TARGETS,
    VARIANTS,
    chat_confidence_prompt,
    chat_yes_no_prompt,
    completion_confidence_prompt,
    completion_yes_no_prompt,
)
from seccal.elicit.scores import Score, p_true, self_consistency, sequence_likelihood

__all__ = [
    "TARGETS",
    "VARIANTS",
    "CodeExtraction",
    "ParsedConfidence",
    "Score",
    "chat_confidence_prompt",
    "chat_yes_no_prompt",
    "completion_confidence_prompt",
    "completion_yes_no_prompt",
    "extract_code",
    "p_true",
    "parse_confidence",
    "parse_joint",
    "parse_yes_no",
    "self_consistency",
    "sequence_likelihood",
]
