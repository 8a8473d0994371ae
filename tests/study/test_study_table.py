import json
from pathlib import Path

import pandas as pd

from seccal.core.verdict import Verdict
from seccal.study.store import GenerationRecord, RunStore, VerdictRecord
from seccal.study.table import results_table


def _gen(gen_id: str) -> GenerationRecord:
    return GenerationRecord(
        gen_id=gen_id, model="m", provider="openai", model_id="m", temperature=0.2, sample=0,
        suite="mini", task_key="mini/add", reply="r", code="c",
    )  # fmt: skip


def test_parse_error_column_comes_from_the_verdict(tmp_path: Path) -> None:
    broken = Verdict("bad", "mini/add", functional="fail", parse_error=True)
    fine = Verdict("ok", "mini/add", functional="pass")
    with RunStore(tmp_path / "s.sqlite") as store:
        store.put_generations([_gen("bad"), _gen("ok"), _gen("unjudged")])
        store.put_verdicts(
            [
                VerdictRecord(
                    v.generation_id, v.functional, "unknown", "unknown", 0, json.dumps(v.to_dict())
                )
                for v in (broken, fine)
            ]
        )
        df = results_table(store, label_source="dynamic").set_index("gen_id")
    assert bool(df.loc["bad", "parse_error"])
    assert not bool(df.loc["ok", "parse_error"])
    assert df.loc["unjudged", "parse_error"] is pd.NA
