"""Typed reading of one TOML table, with errors that name the key (``models[1].provider``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from seccal.errors import ConfigError


class TableReader:
    """Typed access to one TOML table, with errors naming ``where.key``."""

    def __init__(self, table: Mapping[str, Any], where: str, known: tuple[str, ...]) -> None:
        self.table = table
        self.where = where
        unknown = sorted(set(table) - set(known))
        if unknown:
            raise ConfigError(
                f"{self._key(unknown[0])}: unknown key; expected one of {', '.join(known)}"
            )

    def _key(self, key: str) -> str:
        return f"{self.where}.{key}" if self.where else key

    def _get(self, key: str, types: tuple[type, ...], what: str, default: Any) -> Any:
        if key not in self.table:
            return default
        value = self.table[key]
        # bool is an int subclass; a flag is never a number here.
        if isinstance(value, bool) and bool not in types:
            raise ConfigError(f"{self._key(key)}: expected {what}, got {value!r}")
        if not isinstance(value, types):
            raise ConfigError(f"{self._key(key)}: expected {what}, got {value!r}")
        return value

    def text(self, key: str, default: str | None = None, *, required: bool = False) -> Any:
        if required and key not in self.table:
            raise ConfigError(f"{self._key(key)}: required key is missing")
        value = self._get(key, (str,), "a string", default)
        if required and not str(value).strip():
            raise ConfigError(f"{self._key(key)}: must not be empty")
        return value

    def integer(self, key: str, default: int | None, *, minimum: int = 0) -> Any:
        value = self._get(key, (int,), "an integer", default)
        if value is not None and value < minimum:
            raise ConfigError(f"{self._key(key)}: must be >= {minimum}, got {value}")
        return value

    def number(self, key: str, default: float | None, *, lo: float, hi: float) -> Any:
        value = self._get(key, (int, float), "a number", default)
        if value is not None and not lo <= value <= hi:
            raise ConfigError(f"{self._key(key)}: must be in [{lo}, {hi}], got {value}")
        return None if value is None else float(value)

    def choice(self, key: str, default: str, choices: tuple[str, ...]) -> Any:
        value = self._get(key, (str,), "a string", default)
        if value not in choices:
            raise ConfigError(f"{self._key(key)}: {value!r} is not one of {', '.join(choices)}")
        return value

    def choices(self, key: str, default: tuple[str, ...], choices: tuple[str, ...]) -> Any:
        values = self._get(key, (list,), "a list of strings", list(default))
        for i, value in enumerate(values):
            if value not in choices:
                raise ConfigError(
                    f"{self._key(key)}[{i}]: {value!r} is not one of {', '.join(choices)}"
                )
        if not values:
            raise ConfigError(f"{self._key(key)}: must not be empty")
        return tuple(dict.fromkeys(values))

    def table_(self, key: str) -> Mapping[str, Any]:
        return dict(self._get(key, (dict,), "a table", {}))
