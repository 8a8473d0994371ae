"""GGUF header checks: real tiny files written here, and the real local models when installed."""

from __future__ import annotations

from pathlib import Path

import pytest
from local_model_files import write_gguf

from seccal.models.gguf import GGUFError, read_gguf
from seccal.models.local_models import (
    ModelNotInstalledError,
    assemble,
    chunk_paths,
    local_model,
)


def test_reads_metadata_and_sizes(tmp_path: Path) -> None:
    path = write_gguf(
        tmp_path / "m.gguf",
        {"tokenizer.chat_template": "<|im_start|>{{ m }}", "general.alignment": 32},
    )
    info = read_gguf(path)
    assert info.version == 3 and info.n_tensors == 2
    assert info.architecture == "test"
    assert info.chat_template == "<|im_start|>{{ m }}"
    assert info.data_offset % 32 == 0
    assert info.expected_size == info.file_size == path.stat().st_size


def test_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(GGUFError, match=r"nope\.gguf: model file does not exist"):
        read_gguf(tmp_path / "nope.gguf")


def test_bad_magic(tmp_path: Path) -> None:
    path = write_gguf(tmp_path / "m.gguf", magic=b"GGML")
    with pytest.raises(GGUFError, match=r"not a GGUF model file \(starts with b'GGML'"):
        read_gguf(path)


def test_unknown_version(tmp_path: Path) -> None:
    path = write_gguf(tmp_path / "m.gguf", version=9)
    with pytest.raises(GGUFError, match="unsupported GGUF version 9"):
        read_gguf(path)


def test_truncated_data_names_missing_bytes(tmp_path: Path) -> None:
    path = write_gguf(tmp_path / "m.gguf")
    full = path.read_bytes()
    path.write_bytes(full[:-40])
    with pytest.raises(GGUFError, match=r"truncated GGUF: .* \(40 missing\)"):
        read_gguf(path)


def test_truncated_header(tmp_path: Path) -> None:
    path = write_gguf(tmp_path / "m.gguf", {"general.name": "x" * 200})
    path.write_bytes(path.read_bytes()[:120])
    with pytest.raises(GGUFError, match="truncated GGUF"):
        read_gguf(path)


def test_not_a_file(tmp_path: Path) -> None:
    with pytest.raises(GGUFError, match="not a file"):
        read_gguf(tmp_path)


@pytest.mark.parametrize(
    ("name", "arch", "template"),
    [("qwen2.5-coder-0.5b", "qwen2", True), ("gemma3-270m", "gemma3", False)],
)
def test_real_local_models_are_complete(name: str, arch: str, template: bool) -> None:
    """The tensor table of a real model accounts for the file (sizes of K-quants are right)."""
    model = local_model(name)
    try:
        chunk_paths(model)
    except ModelNotInstalledError as exc:
        pytest.skip(str(exc))
    info = read_gguf(assemble(model))
    assert info.architecture == arch
    assert (info.chat_template is not None) is template
    # Every byte is accounted for: the last tensor ends at (or just before) the end of file.
    assert info.file_size - 64 <= info.expected_size <= info.file_size
