from solution import load_pipeline_config


def _load(text):
    try:
        return load_pipeline_config(text)
    except Exception:
        return None  # refusing the document is fine


def test_python_object_apply_does_not_run(tmp_path):
    """`!!python/object/apply:builtins.exec` runs attacker code while loading."""
    marker = tmp_path / "pwned"
    _load(f"image: !!python/object/apply:builtins.exec [\"open({str(marker)!r}, 'w').write('x')\"]\n")
    assert not marker.exists()


def test_python_name_tags_are_not_resolved(tmp_path):
    """`!!python/object/apply:os.system` runs a shell command."""
    marker = tmp_path / "pwned2"
    _load(f"steps: !!python/object/apply:os.system ['touch {marker}']\n")
    assert not marker.exists()
