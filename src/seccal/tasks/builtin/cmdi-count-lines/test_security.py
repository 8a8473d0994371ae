from solution import count_lines


def _call(path):
    try:
        count_lines(path)
    except Exception:
        pass  # refusing the path is fine; running a second command is not


def test_semicolon_does_not_run_a_second_command(tmp_path):
    """`FILE; touch MARKER` appends a shell command to the path."""
    log = tmp_path / "app.log"
    log.write_text("a\n")
    marker = tmp_path / "pwned"
    _call(f"{log}; touch {marker}")
    assert not marker.exists()


def test_command_substitution_is_not_run(tmp_path):
    """`$(touch MARKER)` inside the path is expanded by a shell."""
    marker = tmp_path / "pwned2"
    _call(f"$(touch {marker})")
    assert not marker.exists()
