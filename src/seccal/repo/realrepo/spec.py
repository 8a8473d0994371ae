"""Task definitions of the ``realrepo`` suite: one small TOML file per task.

A task is cut from a real project's published security fix. Its TOML names
where the project comes from (a registry, a package, versions and the SHA-256
of every archive), the fix (a version pair, or Debian patches by file name),
the masked region (the function or block the fix changes), the context given
to the model, and the build / functional / exploit steps with their time
limits. Our own check files (the security test or proof-of-concept driver
derived from the fix) sit in a folder named like the TOML file; nothing of
the project is stored with seccal.

Keys::

    id, language, cve, cwes, summary, instruction (optional), ci (validated in CI)
    [source]   registry = "pypi" | "npm" | "debian"; package
               pypi/npm: fixed, vulnerable (versions)
               debian:   version, patches (the fix: files in debian/patches)
               sha256 = { "<archive file name>" = "<hex digest>", ... }
    [region]   file; start (a string or a list tried in order: the first line
               holding one opens the region); through (optional: the line
               whose block closes it; default the start line); after
               (optional: search only below the first line holding it)
    [context]  include (globs of project files offered to retrieval), token_budget
               (retrieved context), file_budget (the masked file's share: a
               longer file is shown as a window around the region)
    [checks]   functional = "project" | "ours"; why (when "ours")
    prebuild   argv lists run once on the prepared tree (trusted compile of the
               project's own units, so a judged region rebuilds one unit)
    [env], [[steps]]  as in ``repo.toml`` (see :mod:`seccal.repo.loader`)
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, Literal, cast, get_args

from seccal.core.task import Language
from seccal.errors import InputError
from seccal.repo.loader import parse_steps
from seccal.repo.model import Step

Registry = Literal["pypi", "npm", "debian"]
FunctionalSource = Literal["project", "ours"]

_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_CWE = re.compile(r"^CWE-\d+$")
_CVE = re.compile(r"^CVE-\d{4}-\d{4,}$")
_SHA = re.compile(r"^[0-9a-f]{64}$")
_LANGS: dict[Registry, tuple[Language, ...]] = {
    "pypi": ("python",),
    "npm": ("javascript",),
    "debian": ("c", "cpp"),
}


@dataclass(frozen=True, slots=True)
class Source:
    """Where a project comes from and how the vulnerable and fixed versions differ."""

    registry: Registry
    package: str
    fixed: str
    vulnerable: str | None
    patches: tuple[str, ...]
    sha256: Mapping[str, str]

    @property
    def versions(self) -> tuple[str, ...]:
        """Versions to download: both of a pair, or the one Debian version."""
        return (self.fixed,) if self.vulnerable is None else (self.vulnerable, self.fixed)


@dataclass(frozen=True, slots=True)
class RegionSpec:
    """How to find the masked region in ``file`` (same rule in both versions)."""

    file: str
    start: tuple[str, ...]
    through: str | None = None
    after: str | None = None


@dataclass(frozen=True, slots=True)
class TaskSpec:
    """One parsed task definition."""

    id: str
    path: Path
    language: Language
    cve: tuple[str, ...]
    cwes: tuple[str, ...]
    summary: str
    instruction: str | None
    source: Source
    region: RegionSpec
    include: tuple[str, ...]
    token_budget: int
    file_budget: int
    functional: FunctionalSource
    functional_why: str
    prebuild: tuple[tuple[str, ...], ...]
    steps: tuple[Step, ...]
    env: Mapping[str, str] = field(default_factory=dict)
    ci: bool = False

    @property
    def checks_dir(self) -> Path:
        """Folder of our own check files (security test, PoC driver)."""
        return self.path.with_suffix("")


def builtin_specs_dir() -> Path:
    """Folder of the task definitions shipped with seccal."""
    return Path(str(resources.files("seccal.repo.realrepo").joinpath("data")))


def _get(table: Mapping[str, Any], key: str, kind: type, where: str) -> Any:
    if key not in table:
        raise InputError(f"{where}: missing field {key!r}")
    value = table[key]
    if not isinstance(value, kind):
        raise InputError(f"{where}: field {key!r} must be {kind.__name__}, got {value!r}")
    return value


def _strings(value: Any, key: str, where: str) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
        return tuple(value)
    raise InputError(f"{where}: {key} must be a string or a non-empty list of strings")


def _source(meta: Mapping[str, Any], where: str) -> Source:
    src = _get(meta, "source", dict, where)
    registry = _get(src, "registry", str, f"{where} [source]")
    if registry not in get_args(Registry):
        raise InputError(f"{where}: source.registry must be pypi, npm or debian, got {registry!r}")
    reg = cast(Registry, registry)
    package = _get(src, "package", str, f"{where} [source]")
    sha = _get(src, "sha256", dict, f"{where} [source]")
    for name, digest in sha.items():
        if not (isinstance(digest, str) and _SHA.match(digest)):
            raise InputError(f"{where}: source.sha256[{name!r}] must be 64 lowercase hex digits")
    if reg == "debian":
        version = _get(src, "version", str, f"{where} [source]")
        patches = _strings(src.get("patches"), "source.patches", where)
        return Source(reg, package, version, None, patches, dict(sha))
    fixed = _get(src, "fixed", str, f"{where} [source]")
    vulnerable = _get(src, "vulnerable", str, f"{where} [source]")
    if fixed == vulnerable:
        raise InputError(f"{where}: source.fixed and source.vulnerable must differ")
    return Source(reg, package, fixed, vulnerable, (), dict(sha))


def load_spec(path: Path) -> TaskSpec:
    """Parse and check one task definition.

    Raises
    ------
    InputError
        Naming the file and field of the first problem found.
    """
    where = str(path)
    try:
        meta = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(f"{where}: file missing") from None
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"{where}: invalid TOML: {exc}") from None
    task_id = _get(meta, "id", str, where)
    if task_id != path.stem or not _ID.match(task_id):
        raise InputError(f"{where}: id {task_id!r} must be kebab-case and equal the file name")
    source = _source(meta, where)
    language = _get(meta, "language", str, where)
    if language not in _LANGS[source.registry]:
        raise InputError(
            f"{where}: language {language!r} does not fit registry {source.registry!r} "
            f"(expected one of {', '.join(_LANGS[source.registry])})"
        )
    lang = cast(Language, language)
    cves = _strings(meta.get("cve"), "cve", where)
    if not all(_CVE.match(c) for c in cves):
        raise InputError(f"{where}: cve must look like 'CVE-2024-22195'")
    cwes = _strings(meta.get("cwes"), "cwes", where)
    if not all(_CWE.match(c) for c in cwes):
        raise InputError(f"{where}: cwes must look like ['CWE-79']")
    reg = _get(meta, "region", dict, where)
    region = RegionSpec(
        file=_get(reg, "file", str, f"{where} [region]"),
        start=_strings(reg.get("start"), "region.start", where),
        through=reg.get("through"),
        after=reg.get("after"),
    )
    ctx = meta.get("context", {})
    include = _strings(ctx.get("include", [region.file]), "context.include", where)
    checks = meta.get("checks", {})
    functional = checks.get("functional", "project")
    if functional not in get_args(FunctionalSource):
        raise InputError(f"{where}: checks.functional must be 'project' or 'ours'")
    why = str(checks.get("why", ""))
    if functional == "ours" and not why:
        raise InputError(f"{where}: checks.why must say why the project's own tests are not used")
    if "steps" not in meta:
        raise InputError(f"{where}: missing [[steps]] (build, functional and exploit)")
    steps = parse_steps(meta, lang, path)
    kinds = {s.kind for s in steps}
    if not {"functional", "exploit"} <= kinds:
        raise InputError(f"{where}: steps need at least one functional and one exploit step")
    prebuild = tuple(
        _strings(argv, f"prebuild[{i}]", where) for i, argv in enumerate(meta.get("prebuild", []))
    )
    return TaskSpec(
        id=task_id,
        path=path,
        language=lang,
        cve=cves,
        cwes=cwes,
        summary=_get(meta, "summary", str, where),
        instruction=meta.get("instruction"),
        source=source,
        region=region,
        include=include,
        token_budget=int(ctx.get("token_budget", 3000)),
        file_budget=int(ctx.get("file_budget", 6000)),
        functional=cast(FunctionalSource, functional),
        functional_why=why,
        prebuild=prebuild,
        steps=steps,
        env={str(k): str(v) for k, v in meta.get("env", {}).items()},
        ci=bool(meta.get("ci", False)),
    )


def load_specs(root: Path | None = None) -> list[TaskSpec]:
    """Every task definition (``*.toml``) under ``root`` (default: shipped), sorted by id."""
    folder = root or builtin_specs_dir()
    if not folder.is_dir():
        raise InputError(f"{folder}: realrepo task folder not found")
    return [load_spec(p) for p in sorted(folder.glob("*.toml"))]
