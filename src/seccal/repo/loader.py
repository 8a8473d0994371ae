"""Loading repository suites from disk.

Layout of one repository (``<suite dir>/<id>/``)::

    repo.toml           metadata (see below)
    files/...           the snapshot; the target holds the region marker
    tests/...           functional and exploit tests (never shown to the model)
    fixed.<ext>         fixed reference for the region
    vulnerable.<ext>    vulnerable reference for the region

``repo.toml`` keys: ``id`` (= folder name), ``language``, ``cwes``,
``summary``, ``safety_depends_on``, ``instruction``, ``target``, optional
``[context]`` (``mode``, ``files``, ``token_budget``), optional ``tests_dir``
(where tests land in the work dir: ``tests``, or the root for Go), optional ``[env]`` and
optional ``[[steps]]`` (``kind``, ``name``, ``argv``, ``pass_exit``,
``fail_if_output_contains``, ``timeout_s``) replacing the language defaults.
"""

from __future__ import annotations

import re
import tomllib
from importlib import resources
from pathlib import Path
from typing import Any, cast, get_args

from seccal.core.task import Language
from seccal.errors import InputError
from seccal.repo.apply import split_target
from seccal.repo.model import ContextChoice, ContextMode, RepoTask, Step, StepKind
from seccal.repo.runners import default_steps

_EXT = {"python": "py", "javascript": "js", "java": "java", "c": "c", "cpp": "cpp", "go": "go"}
_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_CWE = re.compile(r"^CWE-\d+$")


def builtin_suite_dir() -> Path:
    """Folder of the built-in repository suite shipped with seccal."""
    return Path(str(resources.files("seccal.repo").joinpath("data", "suite")))


def _read_tree(root: Path) -> dict[str, str]:
    if not root.is_dir():
        return {}
    return {
        p.relative_to(root).as_posix(): p.read_text(encoding="utf-8")
        for p in sorted(root.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts
    }


def _field(meta: dict[str, Any], key: str, kind: type, where: Path) -> Any:
    if key not in meta:
        raise InputError(f"{where}: missing field {key!r}")
    value = meta[key]
    if not isinstance(value, kind):
        raise InputError(f"{where}: field {key!r} must be {kind.__name__}, got {value!r}")
    return value


def parse_steps(meta: dict[str, Any], language: Language, where: Path) -> tuple[Step, ...]:
    """The ``[[steps]]`` of a task file, or the language defaults when it has none."""
    raw = meta.get("steps")
    if raw is None:
        return default_steps(language)
    steps = []
    for i, s in enumerate(raw):
        kind = s.get("kind")
        if kind not in get_args(StepKind):
            raise InputError(f"{where}: steps[{i}].kind must be build/functional/exploit")
        argv = s.get("argv")
        if not (isinstance(argv, list) and argv and all(isinstance(a, str) for a in argv)):
            raise InputError(f"{where}: steps[{i}].argv must be a non-empty list of strings")
        steps.append(
            Step(
                kind=cast(StepKind, kind),
                name=str(s.get("name", kind)),
                argv=tuple(argv),
                pass_exit=int(s.get("pass_exit", 0)),
                fail_if_output_contains=tuple(s.get("fail_if_output_contains", ())),
                timeout_s=float(s.get("timeout_s", 60.0)),
            )
        )
    return tuple(steps)


def load_repo_task(folder: Path, *, suite: str = "repo") -> RepoTask:
    """Load and check one repository folder.

    Raises
    ------
    InputError
        Naming the file and field of the first problem found.
    """
    toml_path = folder / "repo.toml"
    try:
        meta = tomllib.loads(toml_path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(f"{toml_path}: file missing") from None
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"{toml_path}: invalid TOML: {exc}") from None
    task_id = _field(meta, "id", str, toml_path)
    if task_id != folder.name or not _ID.match(task_id):
        raise InputError(
            f"{toml_path}: id {task_id!r} must be kebab-case and equal the folder name"
        )
    language = _field(meta, "language", str, toml_path)
    if language not in _EXT:
        raise InputError(f"{toml_path}: unknown language {language!r}")
    lang = cast(Language, language)
    cwes = _field(meta, "cwes", list, toml_path)
    if not cwes or not all(isinstance(c, str) and _CWE.match(c) for c in cwes):
        raise InputError(f"{toml_path}: cwes must be a non-empty list like ['CWE-89']")
    files = _read_tree(folder / "files")
    target = _field(meta, "target", str, toml_path)
    if target not in files:
        raise InputError(f"{toml_path}: target {target!r} is not in files/")
    split_target(files[target], where=str(folder / "files" / target))
    regions = {}
    for which in ("fixed", "vulnerable"):
        path = folder / f"{which}.{_EXT[lang]}"
        if not path.is_file():
            raise InputError(f"{path}: {which} reference missing")
        regions[which] = path.read_text(encoding="utf-8")
    ctx = meta.get("context", {})
    mode = ctx.get("mode", "files")
    if mode not in get_args(ContextMode):
        raise InputError(f"{toml_path}: context.mode must be 'files' or 'bm25'")
    ctx_files = tuple(ctx.get("files", ()))
    for f in ctx_files:
        if f not in files:
            raise InputError(f"{toml_path}: context file {f!r} is not in files/")
    # Go test files must sit in the package they test; other languages keep tests/.
    tests_dir = str(meta.get("tests_dir", "" if lang == "go" else "tests")).strip("/")
    prefix = f"{tests_dir}/" if tests_dir else ""
    tests = {f"{prefix}{k}": v for k, v in _read_tree(folder / "tests").items()}
    if not tests:
        raise InputError(f"{folder / 'tests'}: no test files")
    return RepoTask(
        id=task_id,
        suite=suite,
        language=lang,
        cwes=tuple(cwes),
        summary=_field(meta, "summary", str, toml_path),
        safety_depends_on=_field(meta, "safety_depends_on", str, toml_path),
        instruction=_field(meta, "instruction", str, toml_path),
        target=target,
        files=files,
        test_files=tests,
        fixed_region=regions["fixed"],
        vulnerable_region=regions["vulnerable"],
        steps=parse_steps(meta, lang, toml_path),
        context=ContextChoice(
            mode=cast(ContextMode, mode),
            files=ctx_files,
            token_budget=int(ctx.get("token_budget", 2000)),
        ),
        env={str(k): str(v) for k, v in meta.get("env", {}).items()},
    )


def load_repo_suite(root: Path, *, suite: str = "repo") -> list[RepoTask]:
    """Every repository folder (one with a ``repo.toml``) under ``root``, sorted by id."""
    if not root.is_dir():
        raise InputError(f"{root}: repository suite folder not found")
    return [load_repo_task(p.parent, suite=suite) for p in sorted(root.glob("*/repo.toml"))]


def load_builtin_suite() -> list[RepoTask]:
    """The built-in repository suite."""
    return load_repo_suite(builtin_suite_dir())
