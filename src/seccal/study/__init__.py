"""Studies: config, plan, run store, stages and the resumable runner."""

from importlib.resources import files

from seccal.core.config import StudyConfig, load_study, parse_study
from seccal.study.store import RunStore


def default_study_text() -> str:
    """The TOML text of the embedded default study (``seccal run`` with no arguments)."""
    return files("seccal.study").joinpath("data/default.toml").read_text(encoding="utf-8")


def default_study() -> StudyConfig:
    """The embedded default study."""
    import tomllib

    return parse_study(tomllib.loads(default_study_text()), source="<embedded default study>")


__all__ = [
    "RunStore",
    "StudyConfig",
    "default_study",
    "default_study_text",
    "load_study",
    "parse_study",
]
