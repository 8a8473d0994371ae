import pytest

from seccal.errors import InputError
from seccal.tasks.dockerfile import expand, parse_dockerfile

DOCKERFILE = """# syntax=docker/dockerfile:1
from python:3.10-slim
WORKDIR /prompt

# a comment between instructions
RUN apt-get update \\
  # a comment inside a continued instruction
  && apt-get install -y wget \\
  && rm -rf /var/lib/apt/lists/*
ENV A=1 B="two words"
CMD ["python", "test_runner.py", "test_x"]
ENTRYPOINT python -m unittest
"""


def test_parses_keywords_continuations_and_exec_form() -> None:
    ins = parse_dockerfile(DOCKERFILE)
    assert [i.keyword for i in ins] == ["FROM", "WORKDIR", "RUN", "ENV", "CMD", "ENTRYPOINT"]
    assert [i.line for i in ins] == [2, 3, 6, 10, 11, 12]
    assert ins[2].value == (
        "apt-get update && apt-get install -y wget && rm -rf /var/lib/apt/lists/*"
    )
    assert ins[4].exec_form == ("python", "test_runner.py", "test_x")
    assert ins[5].exec_form is None and ins[5].value == "python -m unittest"
    assert ins[3].words() == ["A=1", "B=two words"]


def test_words_expand_variables_only_where_docker_does() -> None:
    [copy, run] = parse_dockerfile("COPY $SRC ${DST:-/app}/\nRUN echo $SRC\n")
    assert copy.words({"SRC": "a.py"}) == ["a.py", "/app/"]
    assert run.words({"SRC": "a.py"}) == ["echo", "$SRC"]  # the shell expands RUN, not Docker


@pytest.mark.parametrize(
    ("text", "want"),
    [("$A/x", "1/x"), ("${A}y", "1y"), ("${NOPE:-d}", "d"), ("${A:+alt}", "alt"), ("$NOPE", "")],
)
def test_expand(text: str, want: str) -> None:
    assert expand(text, {"A": "1"}) == want


def test_bad_lines_are_input_errors_with_the_line() -> None:
    with pytest.raises(InputError, match=r"Dockerfile:2: not a Dockerfile instruction"):
        parse_dockerfile("FROM x\n--flag\n")
    with pytest.raises(InputError, match="exec form must be a JSON array of strings"):
        parse_dockerfile('CMD ["python", 3]\n')
    [ins] = parse_dockerfile("RUN echo 'unbalanced\n")
    with pytest.raises(InputError, match="line 1: RUN"):
        ins.words()
