"""Service configuration."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Settings:
    attachment_dir: str
    max_attachment_bytes: int = 10 * 1024 * 1024
