"""Test fixtures for local model files: a tiny GGUF writer and fake chunk packages.

``write_gguf`` writes a real (tiny) GGUF v3 file: header, metadata, tensor table, aligned
data. ``install_fake_chunks`` lays out installed data-only packages the way pip does
(``NAME-VER.dist-info/METADATA`` + ``RECORD`` and ``pkg/data/partNN.bin``) in a folder that
the caller puts on ``sys.path``, so :mod:`importlib.metadata` finds them for real.
"""

from __future__ import annotations

import hashlib
import importlib
import struct
from pathlib import Path

from seccal.models.local_models import Chunk, LocalModel


def _string(text: str) -> bytes:
    raw = text.encode()
    return struct.pack("<Q", len(raw)) + raw


def write_gguf(
    path: Path,
    metadata: dict[str, str | int] | None = None,
    tensors: dict[str, int] | None = None,
    *,
    magic: bytes = b"GGUF",
    version: int = 3,
) -> Path:
    """A GGUF file with string/u32 ``metadata`` and F32 vectors ``tensors`` (name → length)."""
    metadata = {"general.architecture": "test", **(metadata or {})}
    tensors = tensors if tensors is not None else {"w": 64, "b": 8}
    out = bytearray(magic + struct.pack("<IQQ", version, len(tensors), len(metadata)))
    for key, value in metadata.items():
        out += _string(key)
        if isinstance(value, str):
            out += struct.pack("<I", 8) + _string(value)
        else:
            out += struct.pack("<II", 4, value)
    offset = 0
    for name, n in tensors.items():
        out += _string(name) + struct.pack("<IQIQ", 1, n, 0, offset)
        offset += -(-n * 4 // 32) * 32
    out += bytes(-len(out) % 32)
    for n in tensors.values():
        data = struct.pack(f"<{n}f", *range(n))
        out += data + bytes(-len(data) % 32)
    path.write_bytes(bytes(out))
    return path


def install_fake_chunks(
    site: Path, name: str, parts: list[bytes], *, version: str = "1.0", prefix: str = "fakechunk"
) -> LocalModel:
    """Install ``parts`` as packages ``PREFIX-part1``.. under ``site``; their catalogue entry."""
    chunks = []
    for i, data in enumerate(parts, start=1):
        dist = f"{prefix}-part{i}"
        module = dist.replace("-", "_")
        rel = f"{module}/data/part{i:02d}.bin"
        (site / module / "data").mkdir(parents=True, exist_ok=True)
        (site / rel).write_bytes(data)
        info = site / f"{module}-{version}.dist-info"
        info.mkdir(exist_ok=True)
        (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {dist}\nVersion: {version}\n")
        (info / "RECORD").write_text(f"{rel},,\n{info.name}/METADATA,,\n{info.name}/RECORD,,\n")
        chunks.append(Chunk(dist, f"data/part{i:02d}.bin", hashlib.sha256(data).hexdigest()))
    importlib.invalidate_caches()
    whole = b"".join(parts)
    return LocalModel(
        name=name,
        title=name,
        kind="instruct",
        chat_format="chatml",
        licence="Apache-2.0",
        version=version,
        size=len(whole),
        sha256=hashlib.sha256(whole).hexdigest(),
        chunks=tuple(chunks),
    )
