"""Confidences computed from log-probabilities and repeated samples.

* :func:`p_true` — probability of "yes" to "is this code secure?", from the
  first answer token's top log-probs, normalised over the yes/no variants
  (" Yes", "yes", "YES", " y", ...);
* :func:`self_consistency` — share of "yes" among k sampled yes/no verdicts;
* :func:`sequence_likelihood` — mean token log-prob of the generated code and
  its geometric-mean probability.

Each returns a :class:`Score` whose ``value`` is ``None`` with a reason when the
inputs do not allow it (no log-probs from the provider, no parseable verdict).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from seccal.elicit.parse import parse_yes_no

_YES_TOKENS = frozenset({"yes", "y", "true"})
_NO_TOKENS = frozenset({"no", "n", "false"})


@dataclass(frozen=True, slots=True)
class Score:
    """A confidence in [0, 1] (or ``None`` with the reason)."""

    value: float | None
    reason: str = ""
    detail: str = ""


def _normalise_token(token: str) -> str:
    # Tokenizers mark a leading space with Ġ / ▁; answers may carry punctuation.
    return token.replace("Ġ", " ").replace("▁", " ").strip().strip(".,:;!*\"'`").lower()


def p_true(top_logprobs: Mapping[str, float] | Sequence[tuple[str, float]] | None) -> Score:
    """P(yes) from the first answer token's top log-probs.

    Parameters
    ----------
    top_logprobs:
        Token → natural-log probability for the first generated token's top-k
        alternatives (mapping or pairs), or ``None`` when the provider gives none.

    Returns
    -------
    Score
        ``p_yes / (p_yes + p_no)`` summed over token variants; ``None`` when no
        log-probs were returned or no yes/no variant is among the top-k.

    Examples
    --------
    >>> round(p_true({" Yes": math.log(0.6), " No": math.log(0.2), "The": -1.0}).value, 3)
    0.75
    >>> p_true(None).reason
    'provider returned no log-probs'
    """
    if top_logprobs is None:
        return Score(None, "provider returned no log-probs")
    pairs = top_logprobs.items() if isinstance(top_logprobs, Mapping) else top_logprobs
    p_yes = p_no = 0.0
    seen: set[str] = set()
    for token, logprob in pairs:
        if token in seen or logprob is None or math.isnan(logprob):
            continue
        seen.add(token)
        norm = _normalise_token(token)
        if norm in _YES_TOKENS:
            p_yes += math.exp(logprob)
        elif norm in _NO_TOKENS:
            p_no += math.exp(logprob)
    if not seen:
        return Score(None, "provider returned no log-probs")
    if p_yes + p_no <= 0.0:
        return Score(None, "no yes/no token among the top log-probs")
    mass = p_yes + p_no
    return Score(p_yes / mass, detail=f"yes/no mass {mass:.3f}")


def self_consistency(answers: Iterable[str | None]) -> Score:
    """Share of "yes" among sampled yes/no security verdicts.

    Unparseable answers are left out of the share and counted in ``detail``;
    with no parseable answer the score is unknown.

    Examples
    --------
    >>> self_consistency(["Yes", "yes.", "No", "maybe"]).value
    0.6666666666666666
    """
    votes = [parse_yes_no(a) for a in answers]
    valid = [v for v in votes if v is not None]
    detail = f"{sum(valid)}/{len(valid)} yes, {len(votes) - len(valid)} unparseable"
    if not valid:
        return Score(None, "no parseable yes/no verdict among the samples", detail)
    return Score(sum(valid) / len(valid), detail=detail)


def sequence_likelihood(token_logprobs: Sequence[float] | None) -> tuple[float | None, Score]:
    """Mean token log-prob of the generated code and ``exp`` of it.

    Returns
    -------
    tuple
        ``(mean_logprob, Score(exp(mean_logprob)))``; both unknown without log-probs.

    Examples
    --------
    >>> mean, score = sequence_likelihood([math.log(0.5), math.log(0.5)])
    >>> round(mean, 4), round(score.value, 3)
    (-0.6931, 0.5)
    """
    if not token_logprobs:
        return None, Score(None, "provider returned no log-probs")
    values = [v for v in token_logprobs if v is not None and math.isfinite(v)]
    if not values:
        return None, Score(None, "no finite token log-probs")
    mean = sum(values) / len(values)
    return mean, Score(math.exp(mean), detail=f"{len(values)} tokens")
