"""Check that a file is a complete GGUF model before any work starts.

llama.cpp reports a bad file late (when the provider is created, after the run folder exists)
and with messages such as ``failed to load model``. :func:`read_gguf` reads the header, the
metadata and the tensor table (a few MB, no weights) and checks the file against them: the
magic bytes, a known version, and that the file holds every byte the tensor table points at,
so a truncated download or a partly assembled file is an error naming the file and the
missing bytes.

Format (GGUF v2/v3, little-endian): ``b"GGUF"``, version ``u32``, tensor count ``u64``,
metadata count ``u64``, the metadata key/value pairs, one record per tensor (name, dims,
ggml type, offset into the data section), padding to ``general.alignment`` (default 32),
then the tensor data.
"""

from __future__ import annotations

import mmap
import struct
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from seccal.errors import ConfigError

MAGIC = b"GGUF"
VERSIONS = (2, 3)
DEFAULT_ALIGNMENT = 32

# Metadata value types: id -> struct format of a scalar (8: string, 9: array).
_SCALAR = {
    0: "B",
    1: "b",
    2: "H",
    3: "h",
    4: "I",
    5: "i",
    6: "f",
    7: "?",
    10: "Q",
    11: "q",
    12: "d",
}
_STRING, _ARRAY = 8, 9
_U64 = struct.Struct("<Q")

# ggml tensor types: id -> (elements per block, bytes per block), from ggml.h / ggml.c.
TYPE_SIZES: Mapping[int, tuple[int, int]] = {
    0: (1, 4),  # F32
    1: (1, 2),  # F16
    2: (32, 18),  # Q4_0
    3: (32, 20),  # Q4_1
    6: (32, 22),  # Q5_0
    7: (32, 24),  # Q5_1
    8: (32, 34),  # Q8_0
    9: (32, 36),  # Q8_1
    10: (256, 84),  # Q2_K
    11: (256, 110),  # Q3_K
    12: (256, 144),  # Q4_K
    13: (256, 176),  # Q5_K
    14: (256, 210),  # Q6_K
    15: (256, 292),  # Q8_K
    20: (32, 18),  # IQ4_NL
    23: (256, 136),  # IQ4_XS
    24: (1, 1),  # I8
    25: (1, 2),  # I16
    26: (1, 4),  # I32
    27: (1, 8),  # I64
    28: (1, 8),  # F64
    30: (1, 2),  # BF16
}


class GGUFError(ConfigError):
    """The file is not a usable GGUF model (missing, wrong magic, unknown version, truncated)."""


@dataclass(frozen=True, slots=True)
class GGUFInfo:
    """What the header says about a GGUF file.

    ``metadata`` holds scalar and string values; arrays are replaced by their length
    (the tokenizer's vocabulary is not needed to check a file).
    """

    path: Path
    version: int
    n_tensors: int
    metadata: Mapping[str, Any]
    data_offset: int
    expected_size: int
    file_size: int

    @property
    def architecture(self) -> str:
        """``general.architecture`` (e.g. ``qwen2``, ``gemma3``), or ``""``."""
        return str(self.metadata.get("general.architecture", ""))

    @property
    def chat_template(self) -> str | None:
        """The embedded chat template's text (never executed by seccal), if any."""
        value = self.metadata.get("tokenizer.chat_template")
        return value if isinstance(value, str) and value else None


class _Cursor:
    def __init__(self, buf: mmap.mmap, path: Path) -> None:
        self.buf, self.pos, self.path = buf, 0, path

    def unpack(self, fmt: str) -> Any:
        size = struct.calcsize("<" + fmt)
        if self.pos + size > len(self.buf):
            raise GGUFError(
                f"{self.path}: truncated GGUF: the header ends at byte {len(self.buf):,} "
                "in the middle of its metadata"
            )
        (value,) = struct.unpack_from("<" + fmt, self.buf, self.pos)
        self.pos += size
        return value

    def string(self) -> str:
        n = self.unpack("Q")
        if self.pos + n > len(self.buf):
            raise GGUFError(f"{self.path}: truncated GGUF: a metadata string runs past the end")
        raw = bytes(self.buf[self.pos : self.pos + n])
        self.pos += n
        return raw.decode("utf-8", errors="replace")

    def skip_strings(self, count: int) -> None:
        # The tokenizer's vocabulary: 150k+ strings, so the loop is kept tight.
        buf, pos, length = self.buf, self.pos, _U64.unpack_from
        try:
            for _ in range(count):
                pos += 8 + length(buf, pos)[0]
        except struct.error:
            raise GGUFError(
                f"{self.path}: truncated GGUF: a string array runs past the end"
            ) from None
        self.pos = pos

    def value(self, kind: int) -> Any:
        if kind in _SCALAR:
            return self.unpack(_SCALAR[kind])
        if kind == _STRING:
            return self.string()
        if kind == _ARRAY:
            item, count = self.unpack("I"), self.unpack("Q")
            if item in _SCALAR:
                self.pos += count * struct.calcsize("<" + _SCALAR[item])
            elif item == _STRING:
                self.skip_strings(count)
            else:
                for _ in range(count):
                    self.value(item)
            return count
        raise GGUFError(f"{self.path}: corrupt GGUF: unknown metadata value type {kind}")


def _tensor_bytes(dims: list[int], ggml_type: int) -> int | None:
    if ggml_type not in TYPE_SIZES:
        return None
    block, size = TYPE_SIZES[ggml_type]
    n = 1
    for d in dims:
        n *= d
    return n // block * size


def read_gguf(path: str | Path) -> GGUFInfo:
    """Read and check the header of a GGUF file (no weights are read).

    Raises
    ------
    GGUFError
        Naming the file: missing, not a GGUF (wrong magic), an unknown version, a corrupt
        header, or shorter than its tensor table says (truncated).

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.NamedTemporaryFile(suffix=".gguf") as f:
    ...     _ = f.write(b"GGML" + bytes(20)); f.flush()
    ...     read_gguf(f.name)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    seccal.models.gguf.GGUFError: ...: not a GGUF model file (starts with b'GGML', expected b'GGUF')
    """
    p = Path(path)
    if not p.is_file():
        raise GGUFError(f"{p}: model file does not exist" if not p.exists() else f"{p}: not a file")
    size = p.stat().st_size
    if size < 24:
        raise GGUFError(f"{p}: not a GGUF model file ({size} bytes)")
    with p.open("rb") as f, mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as buf:
        magic = bytes(buf[:4])
        if magic != MAGIC:
            raise GGUFError(
                f"{p}: not a GGUF model file (starts with {magic!r}, expected {MAGIC!r})"
            )
        cur = _Cursor(buf, p)
        cur.pos = 4
        version = cur.unpack("I")
        if version not in VERSIONS:
            raise GGUFError(f"{p}: unsupported GGUF version {version} (supported: 2, 3)")
        n_tensors, n_kv = cur.unpack("Q"), cur.unpack("Q")
        metadata: dict[str, Any] = {}
        for _ in range(n_kv):
            key = cur.string()
            metadata[key] = cur.value(cur.unpack("I"))
        end = 0
        for _ in range(n_tensors):
            cur.string()
            n_dims = cur.unpack("I")
            dims = [cur.unpack("Q") for _ in range(n_dims)]
            ggml_type, offset = cur.unpack("I"), cur.unpack("Q")
            nbytes = _tensor_bytes(dims, ggml_type)
            end = max(end, offset + (nbytes or 1))
        alignment = int(metadata.get("general.alignment", DEFAULT_ALIGNMENT)) or DEFAULT_ALIGNMENT
        data_offset = -(-cur.pos // alignment) * alignment
    expected = data_offset + end
    if size < expected:
        raise GGUFError(
            f"{p}: truncated GGUF: its tensor table needs {expected:,} bytes, the file has "
            f"{size:,} ({expected - size:,} missing)"
        )
    return GGUFInfo(p, version, n_tensors, metadata, data_offset, expected, size)
