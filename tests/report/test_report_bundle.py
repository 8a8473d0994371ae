import json
import re
from pathlib import Path

import pytest
from synthetic_study import synthetic_run

from seccal.errors import InputError
from seccal.report import build_report, input_metrics, render_report
from seccal.report.bundle import bundle_run, read_bundle, write_bundle
from seccal.report.data import ReportInput
from seccal.report.source import load_input

N_BOOT = 30
_VOLATILE = re.compile(r'<span data-volatile="(\w+)">[^<]*</span>')


def _render(inp: ReportInput, out: Path) -> Path:
    return render_report(input_metrics(inp, n_boot=N_BOOT), out)


def _same_report(a: Path, b: Path) -> None:
    """Identical apart from the creation time and the input path."""
    ha, hb = (_VOLATILE.sub("", p.read_text("utf-8")) for p in (a, b))
    assert ha == hb
    for sub in ("figures", "tables"):
        names = sorted(p.name for p in (a.parent / sub).iterdir())
        assert names == sorted(p.name for p in (b.parent / sub).iterdir())
        for name in names:
            assert (a.parent / sub / name).read_bytes() == (b.parent / sub / name).read_bytes()
    ja, jb = (json.loads((p.parent / "metrics.json").read_text("utf-8")) for p in (a, b))
    for j in (ja, jb):
        j.pop("source")
    assert ja == jb


def test_bundle_round_trips_to_an_identical_report(tiny_input: ReportInput, tmp_path: Path) -> None:
    original = _render(tiny_input, tmp_path / "a")
    bundle = write_bundle(tiny_input, tmp_path / "bundle")
    manifest = json.loads((bundle / "bundle.json").read_text("utf-8"))
    assert manifest["seccal_bundle"] == 1
    assert {
        "config.json",
        "results.parquet",
        "results.csv",
        "repairs.parquet",
        "versions.json",
        "environment.json",
    } <= set(manifest["files"])
    env = (bundle / "environment.json").read_text("utf-8")
    assert "PATH" not in env and "API_KEY" not in env
    again = read_bundle(bundle)
    assert again.source.startswith("replication bundle")
    _same_report(original, _render(again, tmp_path / "b"))
    # load_input recognises a bundle folder
    assert load_input(bundle).config == tiny_input.config


def test_tampered_bundle_is_refused(tiny_input: ReportInput, tmp_path: Path) -> None:
    bundle = write_bundle(tiny_input, tmp_path / "bundle")
    (bundle / "config.json").write_text("{}", encoding="utf-8")
    with pytest.raises(InputError, match=r"config\.json does not match its checksum"):
        read_bundle(bundle)


def test_bundle_refuses_to_overwrite_a_foreign_folder(
    tiny_input: ReportInput, tmp_path: Path
) -> None:
    (tmp_path / "x").mkdir()
    (tmp_path / "x" / "thesis.tex").write_text("mine", encoding="utf-8")
    with pytest.raises(InputError, match="not a seccal bundle"):
        write_bundle(tiny_input, tmp_path / "x")


def test_run_folder_bundle_round_trip(tiny_input: ReportInput, tmp_path: Path) -> None:
    run = tmp_path / "run"
    config = {**tiny_input.config, "elicit": {"variants": ["zero_shot", "few_shot"]}}
    # the report of a run folder analyses it once (writing RUN/metrics.json), then reuses it
    run_config = {**config, "analysis": {**config["analysis"], "n_boot": N_BOOT}}
    synthetic_run(tiny_input.frame, run_config, run)
    from_run = build_report(run)
    assert from_run == run / "report" / "report.html"
    first = (run / "metrics.json").stat().st_mtime_ns
    build_report(run)
    assert (run / "metrics.json").stat().st_mtime_ns == first, "a fresh metrics.json is reused"
    bundle = bundle_run(run, tmp_path / "bundle")
    assert (bundle / "store" / "generations.jsonl").is_file()
    assert (bundle / "store" / "verdicts.jsonl").is_file()
    from_bundle = build_report(bundle, tmp_path / "r2", n_boot=N_BOOT)
    _same_report(from_run, from_bundle)
    html = from_run.read_text("utf-8")
    assert "gpt-4o-mini" in html and "run folder" in html
