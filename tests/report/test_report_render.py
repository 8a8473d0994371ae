import json
import re
from pathlib import Path

from seccal.report.figures import reliability_figure
from seccal.report.model import ReportModel


def test_html_is_self_contained(written_report: Path) -> None:
    html = written_report.read_text("utf-8")
    assert html.startswith("<!DOCTYPE html>")
    # nothing is fetched: no external scripts, styles, images or fonts
    assert not re.search(r'(src|href)="(https?:)?//', html)
    assert "<link" not in html and "<script" not in html and "<img" not in html
    figures = sorted((written_report.parent / "figures").glob("*.svg"))
    assert len(figures) >= 7
    assert html.count("<svg") >= len(figures)


def test_every_linked_file_exists(written_report: Path) -> None:
    html = written_report.read_text("utf-8")
    links = re.findall(r'href="((?:figures|tables)/[^"]+)"', html)
    assert any(x.endswith(".tex") for x in links) and any(x.endswith(".png") for x in links)
    for link in links:
        assert (written_report.parent / link).is_file(), link


def test_report_shows_summary_sections_label_source_and_settings(written_report: Path) -> None:
    html = written_report.read_text("utf-8")
    for section in (
        "summary",
        "reliability",
        "temperature",
        "risk",
        "recalibration",
        "gating",
        "prompting",
        "paired",
        "repair",
        "glossary",
        "settings",
    ):
        assert f'id="{section}"' in html, section
    assert "Label source: dynamic" in html
    assert "analysis.n_boot" in html and "synthetic data: nothing here was measured" in html
    assert "False Trust" in html and "Expected calibration error" in html


def test_the_report_carries_the_metrics_it_shows(written_report: Path, small_doc) -> None:
    data = json.loads((written_report.parent / "metrics.json").read_text("utf-8"))
    assert data == json.loads(json.dumps(small_doc))
    html = written_report.read_text("utf-8")
    # the finding in words, with its intervals, straight from metrics.json
    assert small_doc["findings"][0].split(" [")[0] in html
    assert 'href="metrics.json"' in html


def test_a_weak_sandbox_is_shown_first(small_doc, tmp_path: Path) -> None:
    from seccal.report.model import report_model
    from seccal.report.render import write_report_files

    box = {
        "levels": {"weak": 3},
        "weak": True,
        "warning": "the sandbox fell back",
        "recorded": True,
    }
    html = write_report_files(report_model({**small_doc, "sandbox": box}), tmp_path)
    text = html.read_text("utf-8")
    assert text.index('id="sandbox-warning"') < text.index('id="calibration"')
    assert "WARNING: the sandbox fell back" in text


def test_figures_are_deterministic(small_model: ReportModel) -> None:
    a = reliability_figure(small_model, "gpt-4o-mini")
    b = reliability_figure(small_model, "gpt-4o-mini")
    assert a.svg == b.svg and a.png == b.png
    assert a.png.startswith(b"\x89PNG") and a.svg.startswith("<svg")


def test_degenerate_tables_still_render_with_reasons(tmp_path: Path) -> None:
    import pandas as pd

    from seccal.report import input_metrics
    from seccal.report.data import ReportInput
    from seccal.report.model import report_model
    from seccal.report.render import write_report_files

    df = pd.DataFrame(
        {
            "model": ["m"] * 3,
            "temperature": ["0.2"] * 3,
            "suite": ["s"] * 3,
            "task_id": ["t1"] * 3,
            "conf_security_verbal": ["0.9", "", "0.8"],
            "secure": ["", "", ""],
        }
    )
    doc = input_metrics(ReportInput(df, {}, "x"), n_boot=10)
    assert doc["findings"] == [
        "m: no security label and confidence known together; nothing to measure."
    ]
    assert all(r["skipped"] for r in doc["recalibration"])
    html = write_report_files(report_model(doc), tmp_path).read_text("utf-8")
    assert "no study config came with the data" in html.lower()
    assert html.count("Not available for this study") >= 4
