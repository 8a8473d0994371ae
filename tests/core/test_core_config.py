from pathlib import Path

import pytest

from seccal.core.config import load_study, parse_study
from seccal.errors import ConfigError
from seccal.study import default_study

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def _minimal(**study: object) -> dict[str, object]:
    return {
        "study": {"name": "t", "temperatures": [0.0, 0.5], **study},
        "models": [{"provider": "openai", "model": "gpt-4o-mini"}],
        "suites": [{"name": "builtin"}],
    }


def test_minimal_config_defaults() -> None:
    config = parse_study(_minimal())
    assert config.samples == 1
    assert config.label_source == "dynamic"
    assert config.models[0].name == "gpt-4o-mini"
    assert config.models[0].form == "chat"
    assert config.elicit.methods == ("verbal", "ptrue", "consistency", "likelihood")
    assert config.run_dir() == Path("runs") / "t"


def test_local_model_defaults_to_completion_form() -> None:
    data = _minimal()
    data["models"] = [{"provider": "llamacpp", "model": "gemma3-270m"}]
    assert parse_study(data).models[0].form == "completion"


@pytest.mark.parametrize(
    ("model", "params", "form"),
    [
        ("qwen2.5-coder-1.5b", {}, "chat"),  # a named instruct model: its chat format
        ("mine", {"model_path": "/m.gguf", "chat_format": "chatml"}, "chat"),
        ("mine", {"model_path": "/m.gguf"}, "completion"),
        ("qwen2.5-coder-0.5b", {"chat_format": "none"}, "completion"),
    ],
)
def test_local_chat_models_default_to_chat_form(
    model: str, params: dict[str, str], form: str
) -> None:
    data = _minimal()
    data["models"] = [{"provider": "llamacpp", "model": model, "params": params}]
    assert parse_study(data).models[0].form == form


@pytest.mark.parametrize(
    ("mutate", "key"),
    [
        (lambda d: d["study"].update(temperatures=[0.1, 3.0]), "study.temperatures[1]"),
        (lambda d: d["study"].update(temperatures=[]), "study.temperatures"),
        (lambda d: d["study"].update(samples=0), "study.samples"),
        (lambda d: d["study"].update(samples=True), "study.samples"),
        (lambda d: d["study"].update(label_source="exploits"), "study.label_source"),
        (lambda d: d["study"].update(colour="red"), "study.colour"),
        (lambda d: d["models"][0].pop("provider"), "models[0].provider"),
        (lambda d: d["models"][0].update(api_key="sk-123"), "models[0].api_key"),
        (
            lambda d: d["models"][0].update(limits={"concurrency": 0}),
            "models[0].limits.concurrency",
        ),
        (
            lambda d: d["models"].append({"provider": "openai", "model": "gpt-4o-mini"}),
            "models[1].name",
        ),
        (lambda d: d["suites"][0].update(limit=0), "suites[0].limit"),
        (lambda d: d["suites"][0].update(tasks=[3]), "suites[0].tasks[0]"),
        (lambda d: d.update(elicit={"methods": ["telepathy"]}), "elicit.methods[0]"),
        (lambda d: d.update(elicit={"variants": ["zero_shot", "many_shot"]}), "elicit.variants[1]"),
        (lambda d: d.update(analysis={"tau": 2}), "analysis.tau"),
        (lambda d: d.pop("suites"), "suites"),
        (lambda d: d.pop("study"), "study"),
    ],
)
def test_validation_errors_name_the_key(mutate: object, key: str) -> None:
    data = _minimal()
    mutate(data)  # type: ignore[operator]
    with pytest.raises(ConfigError) as err:
        parse_study(data)
    assert str(err.value).startswith(key + ":") or f" {key}:" in str(err.value), str(err.value)


def test_load_study_reports_toml_syntax_with_file(tmp_path: Path) -> None:
    bad = tmp_path / "s.toml"
    bad.write_text("[study\nname = 1\n")
    with pytest.raises(ConfigError, match=r"s\.toml: not valid TOML.*line 1"):
        load_study(bad)
    with pytest.raises(ConfigError, match="cannot read"):
        load_study(tmp_path / "missing.toml")


def test_paper_example_is_the_published_design() -> None:
    config = load_study(EXAMPLES / "paper.toml")
    assert [m.model for m in config.models] == [
        "gpt-4o-mini",
        "gemini-2.0-flash",
        "qwen3-coder-next",
    ]
    assert config.temperatures == (0.0, 0.2, 0.4, 0.6, 0.8, 1.0)
    assert [s.label for s in config.suites] == ["sallm", "realrepo"]
    per_cell = sum((s.limit or 0) * (s.samples or config.samples) for s in config.suites)
    assert per_cell * len(config.models) * len(config.temperatures) == 36_000
    assert config.generate.variants == ("zero_shot", "few_shot", "cot", "few_shot_cot")
    assert config.mitigations.repair is not None
    assert config.mitigations.repair.variants == ("confidence", "findings")


def test_embedded_default_study_is_valid_and_local() -> None:
    config = default_study()
    assert config.models[0].provider == "llamacpp"
    assert config.models[0].model == "qwen2.5-coder-0.5b" and config.models[0].form == "chat"
    # one temperature over more tasks: tighter task-cluster intervals within the time budget
    assert config.temperatures == (0.2,)
    assert config.suites[0].name == "builtin" and len(config.suites[0].tasks) >= 18


def test_digest_ignores_output_dir_but_not_temperatures() -> None:
    a = parse_study(_minimal())
    b = parse_study(_minimal(output_dir="elsewhere"))
    c = parse_study(_minimal(temperatures=[0.0]))
    assert a.digest == b.digest != c.digest


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.toml")), ids=lambda p: p.name)
def test_every_example_is_valid(path: Path) -> None:
    config = load_study(path)
    assert config.models and config.suites


def test_judge_sarif_and_every_shipped_analyzer_are_accepted() -> None:
    raw = {**_minimal(), "judge": {"sarif": ["codeql.sarif"], "analyzers": ["semgrep", "cppcheck"]}}
    cfg = parse_study(raw)
    assert cfg.judge.sarif == ("codeql.sarif",) and cfg.judge.analyzers == ("semgrep", "cppcheck")
    with pytest.raises(ConfigError, match=r"judge\.sarif\[0\]"):
        parse_study({**_minimal(), "judge": {"sarif": [""]}})
    with pytest.raises(ConfigError, match=r"judge\.analyzers\[0\]: 'codeql' is not one of bandit"):
        parse_study({**_minimal(), "judge": {"analyzers": ["codeql"]}})
