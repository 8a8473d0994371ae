import numpy as np
import pandas as pd
import pytest
from synthetic_study import synthetic_export

from seccal.mitigate.prompting import compare_variants


def test_wide_layout_compares_confidence_variants_on_the_same_code() -> None:
    df = synthetic_export(n_tasks=8, temperatures=(0.0,), suites=("s",), samples=2)
    res = compare_variants(df, n_boot=100)
    assert res is not None and res.layout == "wide" and res.baseline == "zero_shot"
    assert [v.variant for v in res.variants] == ["zero_shot", "few_shot", "cot", "few_shot_cot"]
    rates = {v.label_rate.estimate for v in res.variants}
    assert len(rates) == 1  # same code for every variant
    assert res.variants[0].vs_baseline is None
    fs = res.variants[1]
    assert fs.summary is not None and res.variants[0].summary is not None
    assert fs.vs_baseline is not None
    assert fs.vs_baseline["ece"]["diff"] == pytest.approx(
        fs.summary["ece"] - res.variants[0].summary["ece"]
    )


def test_long_layout_compares_the_security_of_the_code_itself() -> None:
    rng = np.random.default_rng(3)
    rows = []
    for variant, p_secure in (("zero_shot", 0.2), ("few_shot", 0.8)):
        for t in range(15):
            for _ in range(4):
                rows.append(
                    {
                        "task_id": f"t{t}",
                        "prompt_variant": variant,
                        "conf_security_verbal": 0.7,
                        "secure": int(rng.random() < p_secure),
                    }
                )
    res = compare_variants(pd.DataFrame(rows), n_boot=200)
    assert res is not None and res.layout == "long"
    zs, fs = res.variants
    assert zs.label_rate.estimate < 0.4 < 0.6 < fs.label_rate.estimate  # type: ignore[operator]
    # confidence 0.7 everywhere: closer to the few-shot code's real rate
    assert fs.vs_baseline is not None and fs.vs_baseline["ece"]["diff"] < 0


def test_single_variant_gives_none() -> None:
    df = synthetic_export(
        n_tasks=4, temperatures=(0.0,), suites=("s",), samples=1, variants=("zero_shot",)
    )
    assert compare_variants(df, n_boot=10) is None
