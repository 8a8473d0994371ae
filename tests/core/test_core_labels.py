"""The one label vocabulary and the ``both`` rule."""

from __future__ import annotations

import itertools

import pytest

from seccal.core.labels import LABEL_SOURCES, check_label_source, combine_labels

LABELS = ("secure", "vulnerable", "unknown")


def test_both_is_symmetric_in_what_is_unknown() -> None:
    for a, b in itertools.product(LABELS, LABELS):
        assert combine_labels(a, b) == combine_labels(b, a)
    # an unknown check adds neither vulnerable nor secure rows
    assert {combine_labels("unknown", x) for x in LABELS} == {"unknown"}
    assert combine_labels("secure", "secure") == "secure"
    assert combine_labels("vulnerable", "secure") == "vulnerable"


def test_label_source_names_are_checked() -> None:
    assert [check_label_source(s) for s in LABEL_SOURCES] == list(LABEL_SOURCES)
    with pytest.raises(ValueError, match=r"static_cwe.*accepted: dynamic, static, both"):
        check_label_source("static_cwe")
