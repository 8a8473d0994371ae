from seccal.repo.context import approx_tokens, build_prompt
from seccal.repo.model import REGION_MARKER, RepoTask, Step
from seccal.repo.realrepo.window import windowed


def _task(lines_above: int, lines_below: int) -> RepoTask:
    text = (
        "".join(f"int above_{i};\n" for i in range(lines_above))
        + f"{REGION_MARKER}\n"
        + "".join(f"int below_{i};\n" for i in range(lines_below))
    )
    return RepoTask(
        id="t", suite="realrepo", language="c", cwes=("CWE-787",), summary="s",
        safety_depends_on="d", instruction="i", target="a.c", files={"a.c": text},
        test_files={}, fixed_region="x", vulnerable_region="y",
        steps=(Step("exploit", "poc", ("true",)),),
    )  # fmt: skip


def test_small_files_are_shown_whole() -> None:
    task = _task(3, 3)
    assert windowed(task, 1000) is task


def test_long_files_keep_the_lines_nearest_the_region_and_say_what_was_cut() -> None:
    task = _task(2000, 2000)
    view = windowed(task, 400)
    shown = view.files["a.c"]
    assert approx_tokens(shown) <= 450
    assert REGION_MARKER in shown
    assert "above_1999" in shown and "below_0" in shown
    assert "above_0;" not in shown and "below_1999" not in shown
    assert "lines above omitted" in shown and "lines below omitted" in shown
    assert task.files["a.c"].count("\n") == 4001  # the work dir still gets the whole file
    assert "lines above omitted" in build_prompt(view).text
