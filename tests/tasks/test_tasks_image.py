from pathlib import Path

import pytest

from seccal.errors import InputError
from seccal.tasks.dockerfile import parse_dockerfile
from seccal.tasks.image import ImagePlan, plan_image


def _plan(tmp_path: Path, dockerfile: str) -> ImagePlan:
    return plan_image(parse_dockerfile(dockerfile), tmp_path, "solution_x.py")


@pytest.fixture
def context(tmp_path: Path) -> Path:
    (tmp_path / "assets" / "img").mkdir(parents=True)
    (tmp_path / "assets" / "a.txt").write_text("a")
    (tmp_path / "assets" / "img" / "b.png").write_bytes(b"\x89b")
    (tmp_path / "test_x.py").write_text("import solution_x\n")
    (tmp_path / "req.txt").write_text("Flask==2.3.3\n")
    (tmp_path.parent / "secret.txt").write_text("outside the context")
    return tmp_path


def test_workdir_solution_copies_and_command(context: Path) -> None:
    plan = _plan(
        context,
        "FROM python:3.10-slim\nWORKDIR /prompt\nARG SCRIPT_PATH\nCOPY $SCRIPT_PATH .\n"
        "COPY test_x.py .\nCOPY req.txt ./requirements/\nCOPY assets/* assets/\n"
        "COPY assets ./tree\nCOPY ../secret.txt .\n"
        'CMD ["python", "test_runner.py", "test_x"]\n',
    )
    assert plan.base == "python:3.10-slim" and plan.workdir == "/prompt"
    assert plan.solution == "solution_x.py"
    # Docker's rule: a directory matched by a wildcard contributes its contents, flattened
    assert plan.files == {
        "test_x.py": b"import solution_x\n",
        "requirements/req.txt": b"Flask==2.3.3\n",
        "assets/a.txt": b"a",
        "assets/b.png": b"\x89b",
        "tree/a.txt": b"a",
        "tree/img/b.png": b"\x89b",
    }
    assert plan.command == ("python", "test_runner.py", "test_x")
    assert plan.command_script() == "test_runner.py"
    secret = [s for s in plan.steps if "secret" in s.instruction]
    assert secret[0].status == "not-reproduced"  # sources outside the context are refused


def test_run_commands(context: Path) -> None:
    plan = _plan(
        context,
        "WORKDIR /prompt\nRUN mkdir -p static uploads/img\nRUN mkdir -p /data\n"
        'RUN echo "import sys\\nprint(\\"a\\tb\\")" > run.py\n'
        "RUN pip install --no-cache-dir -r req.txt requests==2.31.0\n"
        "RUN apt-get update && apt-get install -y --no-install-recommends wget curl "
        "&& rm -rf /var/lib/apt/lists/*\n"
        "RUN curl -o x https://example.org/x\nENV MODE=test\n"
        "CMD python run.py\n",
    )
    assert plan.dirs == ["static", "uploads/img"]
    assert plan.files["run.py"] == b'import sys\nprint("a\tb")\n'  # dash's echo escapes
    assert plan.requirement_files == ["req.txt"] and plan.pip_packages == ["requests==2.31.0"]
    assert plan.apt_packages == ["wget", "curl"] and plan.env == {"MODE": "test"}
    assert plan.command == ("/bin/sh", "-c", "python run.py") and plan.command_script() is None
    status = {s.instruction.split()[1] if s.line else s.instruction: s.status for s in plan.steps}
    assert status["curl"] == "not-reproduced"
    assert status["apt-get"] == "reproduced"
    assert status["folder /data"] == "not-reproduced"  # outside the work dir


def test_copy_that_matches_nothing_is_not_reproduced(context: Path) -> None:
    plan = _plan(context, "WORKDIR /w\nCOPY static/* static/\n")
    [step] = [s for s in plan.steps if s.instruction.startswith("COPY")]
    assert step.status == "not-reproduced" and "no such file" in step.note


def test_copy_without_destination_is_an_input_error(context: Path) -> None:
    with pytest.raises(InputError, match="line 1: COPY needs a source and a destination"):
        _plan(context, "COPY onlyone\n")
