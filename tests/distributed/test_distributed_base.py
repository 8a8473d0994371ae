"""The executor interface and the local executor (no Ray needed)."""

from __future__ import annotations

import pytest
from ray_tasks import work_items

from seccal.distributed import LocalExecutor
from seccal.distributed.base import chunked, judge_config, options_key
from seccal.errors import ConfigError
from seccal.models import ModelSpec
from seccal.models.replay import ReplayProvider


def test_chunked_is_lazy_and_complete() -> None:
    pulled: list[int] = []

    def source():  # type: ignore[no-untyped-def]
        for n in range(7):
            pulled.append(n)
            yield (str(n), None, "")

    chunks = chunked(source(), 3)
    assert [g for g, _, _ in next(chunks)] == ["0", "1", "2"]
    assert pulled == [0, 1, 2]  # nothing read ahead: memory stays bounded
    assert [len(c) for c in chunks] == [3, 1]


def test_judge_config_rejects_unknown_option() -> None:
    with pytest.raises(ConfigError, match="'bach_size'"):
        judge_config({"bach_size": 4})
    cfg = judge_config({"batch_size": 3, "analyzers": ["bandit"]}, workers=1)
    assert (cfg.batch_size, cfg.analyzers, cfg.workers) == (3, ("bandit",), 1)


def test_options_key_ignores_order() -> None:
    assert options_key({"a": 1, "b": [2]}) == options_key({"b": [2], "a": 1})
    assert options_key({"a": 1}) != options_key({"a": 2})


def test_local_provider_factory_builds_the_registry_provider(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "rec.jsonl"
    path.write_text("")
    spec = ModelSpec("replay", "m", params={"path": str(path)})
    assert isinstance(LocalExecutor().provider_factory(spec), ReplayProvider)


@pytest.mark.sandbox
def test_local_judge_stream_labels_every_item_once() -> None:
    items = work_items()[:8]  # two tasks: secure, insecure, broken, empty
    ex = LocalExecutor()
    chunks = list(ex.judge_stream(items, {"batch_size": 4, "analyzers": ["bandit"], "workers": 1}))
    assert [len(c) for c in chunks] == [4, 4]
    verdicts = dict(p for c in chunks for p in c)
    assert list(verdicts) == [g for g, _, _ in items]
    assert verdicts["count-orders-secure-0"].security["dynamic"] == "secure"
    assert verdicts["count-orders-insecure-0"].security["dynamic"] == "vulnerable"
    assert verdicts["hash-secret-broken-0"].functional == "fail"
    assert verdicts["hash-secret-empty-0"].functional == "unknown"
    assert ex.failed == 0
