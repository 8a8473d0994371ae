from seccal.report.tables_static import (
    report_static_quality,
    static_quality_sentence,
    static_quality_table,
)

QUALITY = {
    "definition": "positive = vulnerable",
    "overall": {"n": 5, "tp": 2, "fp": 1, "fn": 0, "tn": 2, "precision": 0.6667,
                "recall": 1.0, "n_unknown": 1},
    "per_cwe": {
        "CWE-89": {"n": 5, "tp": 2, "fp": 1, "fn": 0, "tn": 2, "precision": 0.6667,
                   "recall": 1.0, "n_unknown": 1},
    },
}  # fmt: skip


def test_table_has_a_row_per_cwe_then_all_and_the_sentence_as_note() -> None:
    table = static_quality_table(QUALITY)
    assert table is not None
    assert table.rows[0] == ["CWE-89", "5", "2", "1", "0", "2", "0.67", "1.00", "1"]
    assert table.rows[-1][0] == "all"
    assert "the static label called 3 vulnerable, 2 of them" in table.note
    assert "(1 more had an unknown label)" in table.note


def test_only_studies_that_use_the_static_label_show_it() -> None:
    for source, shown in (("dynamic", False), ("static", True), ("both", True)):
        doc = {"study": {"label_source": source}, "static_quality": QUALITY}
        assert (report_static_quality(doc) is not None) is shown
    assert (
        report_static_quality({"study": {"label_source": "both"}, "static_quality": None}) is None
    )


def test_sentence_says_when_nothing_or_no_positive_can_be_compared() -> None:
    empty = {"overall": {"n": 0, "tp": 0, "fp": 0, "fn": 0, "tn": 0, "precision": None,
                         "recall": None, "n_unknown": 4}}  # fmt: skip
    assert static_quality_sentence(empty).startswith("No generated snippets had both")
    clean = {"overall": {"n": 3, "tp": 0, "fp": 0, "fn": 0, "tn": 3, "precision": None,
                         "recall": None, "n_unknown": 0}}  # fmt: skip
    text = static_quality_sentence(clean, "references")
    assert "precision undefined" in text and "recall undefined" in text
