"""The one label vocabulary: what ``secure`` and ``correct`` mean, everywhere.

A study's ``label_source``, a verdict's security labels, the store's columns, the
results table and every report use these names and nothing else:

``dynamic``
    the task's security tests (exploits) run against the snippet in the sandbox;
``static``
    the static analyzers: a finding at or above the configured severity whose CWE is
    one of the task's CWEs or a close relative (:data:`CWE_FAMILIES`) makes the
    snippet vulnerable; the same rule for every kind of task;
``both``
    the two combined by :func:`combine_labels`.

A check that could not run is ``unknown`` and carries its reason; it is never read
as secure or vulnerable.
"""

from __future__ import annotations

from typing import Final, Literal

FunctionalLabel = Literal["pass", "fail", "unknown"]
SecurityLabel = Literal["secure", "vulnerable", "unknown"]
#: A label source that a judge measures (stored per verdict).
MeasuredSource = Literal["dynamic", "static"]
#: A label source a study may count (``both`` is derived from the measured two).
LabelSource = Literal["dynamic", "static", "both"]

MEASURED_SOURCES: Final[tuple[MeasuredSource, ...]] = ("dynamic", "static")
LABEL_SOURCES: Final[tuple[LabelSource, ...]] = ("dynamic", "static", "both")

#: One sentence per label source, printed in ``--help``, summaries and reports.
LABEL_SOURCE_TEXT: Final[dict[str, str]] = {
    "dynamic": "secure = 1 when the snippet passes its security tests (exploits run in the "
    "sandbox)",
    "static": "secure = 1 when no static finding (Bandit, Semgrep, ...) at or above the "
    "configured severity matches one of the task's CWEs or a close relative",
    "both": "secure = 1 when the security tests pass AND no CWE-matched static finding; "
    "vulnerable when both checks ran and either found a weakness; unknown when either "
    "check could not run",
}

#: Numeric value of each label in results tables (unknown has none: an empty cell).
SECURE_VALUE: Final[dict[str, int]] = {"secure": 1, "vulnerable": 0}
CORRECT_VALUE: Final[dict[str, int]] = {"pass": 1, "fail": 0}

#: Spellings of a yes/no value accepted in results tables (lower-cased, stripped).
TRUE_TOKENS: Final = frozenset(
    {"1", "1.0", "true", "t", "yes", "secure", "correct", "pass", "passed"}
)
FALSE_TOKENS: Final = frozenset(
    {"0", "0.0", "false", "f", "no", "vulnerable", "insecure", "incorrect", "fail", "failed"}
)
UNKNOWN_TOKENS: Final = frozenset(
    {"", "nan", "none", "null", "na", "<na>", "n/a", "unknown", "error"}
)


def combine_labels(dynamic: str, static: str) -> SecurityLabel:
    """The ``both`` label: the exploit tests and the analyzers together.

    Symmetric in what is unknown: when either check could not run, the combined
    label is unknown (an unknown exploit plus a finding is no more certain than an
    unknown exploit plus a clean scan), so the rule cannot add vulnerable rows that
    it would not add secure ones. With both known: secure only when both say
    secure.

    Examples
    --------
    >>> combine_labels("secure", "vulnerable"), combine_labels("secure", "secure")
    ('vulnerable', 'secure')
    >>> combine_labels("unknown", "vulnerable"), combine_labels("unknown", "secure")
    ('unknown', 'unknown')
    """
    if "unknown" in (dynamic, static) or not {dynamic, static} <= {"secure", "vulnerable"}:
        return "unknown"
    return "secure" if dynamic == static == "secure" else "vulnerable"


def check_label_source(name: str) -> LabelSource:
    """``name`` as a :data:`LabelSource`, or ``ValueError`` naming the accepted ones."""
    for source in LABEL_SOURCES:
        if name == source:
            return source
    raise ValueError(f"unknown label source {name!r}; accepted: {', '.join(LABEL_SOURCES)}")
