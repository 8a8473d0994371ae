import json
from pathlib import Path

import pytest

from seccal.errors import ConfigError, InputError
from seccal.repo.aicgseceval import build_prompt, load_aicgseceval, mask_lines
from seccal.tasks.paths import benchmarks_root

DATA = benchmarks_root() / "aicgseceval" / "data"
REC = {
    "instance_id": "demo_CVE-1",
    "repo": "acme/lib",
    "base_commit": "abc^",
    "vuln_file": "src/a.c",
    "vuln_lines": [2, 3],
    "language": "c",
    "cwe_id": "cwe-125",
    "image": "acme/img:latest",
    "image_inner_path": "/cve/SRC",
    "image_run_cmd": "tail -f /dev/null",
    "image_status_check_cmd": "bash -c './build.sh && ./check.sh'",
    "test_case_cmd": "./test_case.sh",
    "poc_cmd": "./poc.sh",
}


def _files(tmp_path: Path, rec: dict) -> tuple[Path, Path]:  # type: ignore[type-arg]
    data = tmp_path / "data.json"
    data.write_text(json.dumps([rec]))
    ctx = tmp_path / "ctx.jsonl"
    hits = [{"docid": "src/b.h", "score": 9.0}, {"docid": "src/gone.c", "score": 5.0}]
    ctx.write_text(
        json.dumps(
            {"instance_id": "demo_CVE-1", "hits": hits, "function_summary": "Reads a field."}
        )
        + "\n"
    )
    return data, ctx


def test_loader_joins_context(tmp_path: Path) -> None:
    (inst,) = load_aicgseceval(*_files(tmp_path, REC))
    assert inst.cwes == ("CWE-125",) and inst.vuln_lines == (2, 3)
    assert inst.context_hits == (("src/b.h", 9.0), ("src/gone.c", 5.0))
    assert inst.function_summary == "Reads a field."


def test_loader_rejects_bad_lines(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"record 0: vuln_lines must be"):
        load_aicgseceval(*_files(tmp_path, {**REC, "vuln_lines": [5, 2]}))
    with pytest.raises(InputError, match="missing field 'poc_cmd'"):
        load_aicgseceval(*_files(tmp_path, {k: v for k, v in REC.items() if k != "poc_cmd"}))


def test_prompt_masks_lines_and_uses_context(tmp_path: Path) -> None:
    (inst,) = load_aicgseceval(*_files(tmp_path, REC))
    repo = tmp_path / "checkout"
    (repo / "src").mkdir(parents=True)
    (repo / "src" / "a.c").write_text("int a;\nint secret_region1;\nint secret_region2;\nint z;\n")
    (repo / "src" / "b.h").write_text("#define LIMIT 8\n")
    prompt, record = build_prompt(inst, repo)
    assert "secret_region" not in prompt and "<MASKED REGION" in prompt
    assert "#define LIMIT 8" in prompt and "Reads a field." in prompt
    assert record["context"] == [{"path": "src/b.h", "score": 9.0}]
    assert record["skipped"] == ["src/gone.c"]
    with pytest.raises(ConfigError, match="check out acme/lib at abc"):
        build_prompt(inst, tmp_path / "empty")


def test_mask_lines_beyond_file() -> None:
    with pytest.raises(InputError, match=r"vuln_lines: lines 1-3 are not inside its 1 lines"):
        mask_lines("a\n", 1, 3, note="x")
    assert mask_lines("a\n    b\n    c\nd\n", 2, 3, note="/* M */") == (
        "a\n    /* M */\nd\n",
        "    b\n    c\n",
    )


@pytest.mark.skipif(not DATA.is_dir(), reason=f"AICGSecEval data not found at {DATA}")
def test_real_data_loads() -> None:
    insts = load_aicgseceval()
    assert len(insts) == 145
    assert sum(1 for i in insts if i.context_hits) >= 120
    assert {i.language for i in insts} >= {"c", "java", "php", "python"}
    assert all(c.startswith("CWE-") for i in insts for c in i.cwes)
