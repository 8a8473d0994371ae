from typing import Any

from seccal.report.model import ReportModel


def test_the_model_reads_the_document_and_keeps_every_setting(
    small_model: ReportModel, small_doc: dict[str, Any]
) -> None:
    assert small_model.doc is small_doc
    assert small_model.label_source == "dynamic"
    assert "security tests" in small_model.label_definition
    keys = dict(small_model.settings)
    assert keys["label_source"] == '"dynamic"' and keys["analysis.tau"] == "0.8"
    assert keys["models[1].name"] == '"gemini-2.0-flash"'
    c = small_model.counts
    assert c["secure"] + c["vulnerable"] + c["security_unknown"] == c["snippets"]
    assert small_model.options.n_boot == small_doc["settings"]["n_boot"]
    assert small_model.models == ["gpt-4o-mini", "gemini-2.0-flash"]
    assert [card["model"] for card in small_model.cards] == sorted(small_model.models)
    assert small_model.findings == small_doc["findings"]
