"""Minimal request/response types of the shop's HTTP layer."""

from dataclasses import dataclass, field
from typing import Any


@dataclass
class User:
    name: str
    roles: frozenset[str] = frozenset()


@dataclass
class Request:
    user: User | None
    params: dict[str, Any] = field(default_factory=dict)


@dataclass
class Response:
    status: int
    body: dict[str, Any] = field(default_factory=dict)
