"""Parse stated confidences and yes/no answers from model replies.

The parsers never guess: a reply without a clear probability gives
``value=None`` with the raw text kept and a reason, and the study records it
as ``unknown``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

ParseKind = Literal["percent", "fraction", "decimal", "bare", "words", "none"]

_NUM = r"(\d{1,3}(?:\.\d+)?|\.\d+)"
# A number that is an identifier part (CWE-89, line 3 of `x2`, v1.2) is no probability.
_NOT_AFTER = r"(?<![\w.\-/])"
_PERCENT = re.compile(_NOT_AFTER + _NUM + r"\s*(?:%|percent\b|per\s*cent\b)", re.I)
_FRACTION = re.compile(_NOT_AFTER + _NUM + r"\s*(?:/|out\s+of|in)\s*(\d{1,3})\b(?!\.?\d)", re.I)
_DECIMAL = re.compile(_NOT_AFTER + r"(0?\.\d+|1\.0+|0|1)(?![\d%/]|\.\d|\s*(?:out|/))")
_ANCHOR = re.compile(
    r"(?:confidence|confident|probability|likelihood|chance|certainty|score)"
    r"(?:\s+(?:level|score|rating|estimate))?"
    r"[^\n\d]{0,60}?",
    re.I,
)
_LEADING = re.compile(
    r"^\s*[#*_`\"'(\[]*\s*" + _NUM + r"(?!\d|\.\d)\s*(%|percent)?(?!\s*(?:/|out))", re.I
)

# Verbal probability expressions, longest first so "not very confident" wins over
# "very confident". Values follow published surveys of how people read these
# phrases (Fagen-Ulmschneider 2019 "Perception of Probability Words"; Sherman
# Kent's estimative words): medians rounded to 0.05.
_WORDS: tuple[tuple[str, float], ...] = (
    ("not at all confident", 0.05),
    ("not confident at all", 0.05),
    ("almost no chance", 0.05),
    ("definitely not", 0.05),
    ("highly unlikely", 0.1),
    ("very unlikely", 0.1),
    ("not very confident", 0.3),
    ("not confident", 0.25),
    ("not sure", 0.5),
    ("unlikely", 0.2),
    ("uncertain", 0.5),
    ("unsure", 0.5),
    ("somewhat confident", 0.65),
    ("moderately confident", 0.65),
    ("fairly confident", 0.7),
    ("reasonably confident", 0.7),
    ("quite confident", 0.8),
    ("highly confident", 0.9),
    ("very confident", 0.9),
    ("extremely confident", 0.95),
    ("completely confident", 0.95),
    ("absolutely certain", 0.95),
    ("almost certain", 0.95),
    ("certain", 0.95),
    ("highly likely", 0.9),
    ("very likely", 0.9),
    ("likely", 0.7),
    ("probably", 0.7),
    ("confident", 0.75),
)
_WORD_RE = re.compile(
    r"\b(" + "|".join(re.escape(w) for w, _ in _WORDS) + r")\b",
    re.I,
)
_WORD_VALUES = {w: v for w, v in _WORDS}


@dataclass(frozen=True, slots=True)
class ParsedConfidence:
    """A confidence read from text.

    Attributes
    ----------
    value:
        Probability in [0, 1], or ``None`` when unknown.
    raw:
        The text parsed (kept so that unknowns can be audited).
    kind:
        How it was read: ``percent`` ("85%"), ``fraction`` ("8/10"),
        ``decimal`` ("0.85"), ``bare`` (a lone number on a 0-100 scale),
        ``words`` ("very confident") or ``none``.
    reason:
        Why ``value`` is ``None`` (empty otherwise).
    """

    value: float | None
    raw: str
    kind: ParseKind
    reason: str = ""


def _to_unit(number: str, kind: ParseKind, denom: str | None = None) -> float | None:
    x = float(number)
    if kind == "percent":
        x /= 100.0
    elif kind == "fraction":
        assert denom is not None
        if float(denom) == 0.0:
            return None
        x /= float(denom)
    elif kind == "bare":
        # Our prompts ask for 0-100%; a decimal point marks a 0-1 answer.
        x = x if "." in number and x <= 1.0 else x / 100.0
    return x if 0.0 <= x <= 1.0 else None


def _first_match(segment: str) -> tuple[float | None, ParseKind, str] | None:
    """The first probability expression in ``segment``, by strength of form."""
    found: list[tuple[int, ParseKind, re.Match[str]]] = []
    for kind, rx in (("percent", _PERCENT), ("fraction", _FRACTION), ("decimal", _DECIMAL)):
        m = rx.search(segment)
        if m is not None:
            found.append((m.start(), kind, m))  # type: ignore[arg-type]
    if not found:
        return None
    _, kind, m = min(found, key=lambda f: f[0])
    denom = m.group(2) if kind == "fraction" else None
    return _to_unit(m.group(1), kind, denom), kind, m.group(0)


def parse_confidence(text: str | None) -> ParsedConfidence:
    """Read a probability that something holds from a model's reply.

    Order of preference: a number right after an anchor word ("Confidence:",
    "probability", ...; the last such anchor wins, because chain-of-thought
    replies reason first and answer last), then an explicit percentage or
    fraction anywhere (last one), then a number opening the reply (a base model
    continuing "...(0-100%):"), then verbal expressions.

    Parameters
    ----------
    text:
        The reply.

    Returns
    -------
    ParsedConfidence
        ``value`` is ``None`` with a reason when nothing unambiguous is found or
        the number is outside [0, 1] / [0, 100%].

    Examples
    --------
    >>> parse_confidence("Confidence: 85%").value
    0.85
    >>> parse_confidence("I'd say 8/10.").value
    0.8
    >>> parse_confidence("very confident").value
    0.9
    >>> parse_confidence("It depends.").value is None
    True
    """
    raw = text or ""
    if not raw.strip():
        return ParsedConfidence(None, raw, "none", "empty reply")
    anchored = [m.end() for m in _ANCHOR.finditer(raw)]
    for end in reversed(anchored):
        hit = _first_match(raw[end : end + 40])
        if hit is None:
            lead = _LEADING.match(raw[end : end + 40].lstrip(" :=-*is"))
            if lead is not None:
                kind: ParseKind = "percent" if lead.group(2) else "bare"
                hit = (_to_unit(lead.group(1), kind), kind, lead.group(0))
        if hit is not None:
            return _result(raw, hit)
    explicit: list[tuple[int, ParseKind, re.Match[str]]] = [
        *((m.start(), "percent", m) for m in _PERCENT.finditer(raw)),
        *((m.start(), "fraction", m) for m in _FRACTION.finditer(raw)),
    ]
    if explicit:
        _, kind, m = max(explicit, key=lambda e: e[0])
        denom = m.group(2) if kind == "fraction" else None
        return _result(raw, (_to_unit(m.group(1), kind, denom), kind, m.group(0)))
    lead = _LEADING.match(raw)
    if lead is not None:
        kind = "percent" if lead.group(2) else "bare"
        return _result(raw, (_to_unit(lead.group(1), kind), kind, lead.group(0)))
    words = list(_WORD_RE.finditer(raw))
    if words:
        phrase = words[-1].group(1).lower()
        return ParsedConfidence(_WORD_VALUES[phrase], raw, "words")
    return ParsedConfidence(None, raw, "none", "no probability found")


def _result(raw: str, hit: tuple[float | None, ParseKind, str]) -> ParsedConfidence:
    value, kind, matched = hit
    if value is None:
        return ParsedConfidence(None, raw, kind, f"out of range: {matched.strip()!r}")
    return ParsedConfidence(round(value, 6), raw, kind)


_SECTION = re.compile(r"(secur\w*|vulnerab\w*|function\w*|correct\w*)", re.I)


def parse_joint(text: str | None) -> tuple[ParsedConfidence, ParsedConfidence]:
    """Read the security and the functional confidence from one joint reply.

    The joint prompt asks for two lines, ``Security: NN%`` and
    ``Functional: NN%``; each is read from the text after its label up to the
    next label.

    Returns
    -------
    tuple
        ``(security, functional)``; either may be unknown.
    """
    raw = text or ""
    parts: dict[str, str] = {}
    marks = list(_SECTION.finditer(raw))
    for i, m in enumerate(marks):
        label = "security" if m.group(1).lower().startswith(("secur", "vuln")) else "functional"
        end = marks[i + 1].start() if i + 1 < len(marks) else len(raw)
        # The last statement of each label wins (CoT reasons before answering).
        segment = raw[m.end() : end]
        if _first_match(segment) is not None or label not in parts:
            parts[label] = segment
    out: list[ParsedConfidence] = []
    for label in ("security", "functional"):
        if label not in parts:
            out.append(ParsedConfidence(None, raw, "none", f"no {label} confidence in reply"))
            continue
        hit = _first_match(parts[label])
        if hit is None:
            lead = _LEADING.match(parts[label].lstrip(" :=-*"))
            if lead is not None:
                k: ParseKind = "percent" if lead.group(2) else "bare"
                hit = (_to_unit(lead.group(1), k), k, lead.group(0))
        if hit is None:
            out.append(ParsedConfidence(None, raw, "none", f"no {label} probability found"))
        else:
            parsed = _result(raw, hit)
            out.append(parsed)
    return out[0], out[1]


_YES = re.compile(r"^\W*(yes|y|true|secure|safe)\b", re.I)
_NO = re.compile(r"^\W*(no|n|false|insecure|unsafe|vulnerable)\b", re.I)
_ANSWER = re.compile(r"(?:answer|verdict)\s*[:=-]?\s*\**\s*(yes|no)\b", re.I)


def parse_yes_no(text: str | None) -> bool | None:
    """Read a yes/no answer; ``None`` when the reply is neither.

    An explicit ``Answer: yes`` anywhere wins (the last one); otherwise the
    first word decides.

    Examples
    --------
    >>> parse_yes_no("Yes, it uses parameterized queries.")
    True
    >>> parse_yes_no("Reasoning... Answer: no")
    False
    >>> parse_yes_no("Maybe") is None
    True
    """
    raw = text or ""
    answers = _ANSWER.findall(raw)
    if answers:
        return str(answers[-1]).lower() == "yes"
    if _YES.match(raw):
        return True
    if _NO.match(raw):
        return False
    return None
