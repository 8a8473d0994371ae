import pytest

from solution import load_pipeline_config


def test_overrides_defaults():
    cfg = load_pipeline_config("image: node:20\nsteps:\n  - npm ci\n  - npm test\n")
    assert cfg == {"image": "node:20", "timeout": 600, "steps": ["npm ci", "npm test"]}


def test_extra_keys_and_types():
    cfg = load_pipeline_config("timeout: 30\nenv: {CI: true}\n")
    assert cfg["timeout"] == 30 and cfg["env"] == {"CI": True} and cfg["image"] == "python:3.12"


def test_empty_document_gives_defaults():
    assert load_pipeline_config("") == {"image": "python:3.12", "timeout": 600, "steps": []}


def test_list_document_is_rejected():
    with pytest.raises(ValueError):
        load_pipeline_config("- a\n- b\n")
