"""Token prices and per-call cost, from an editable table.

Prices are USD per million tokens. The defaults are list prices at the time of writing and
are meant to be checked: override them with a TOML or JSON file (``--prices`` or the
``SECCAL_PRICES`` environment variable) of the shape::

    [gpt-4o-mini]
    input = 0.15
    output = 0.60

Model names match exactly, else by the longest table entry that prefixes the name after
dropping a ``models/`` or ``vendor/`` prefix (so ``gpt-4o-mini-2024-07-18`` and
``openai/gpt-4o-mini`` both find ``gpt-4o-mini``). Local providers cost nothing.
"""

from __future__ import annotations

import json
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from seccal.errors import InputError
from seccal.models.response import Usage


@dataclass(frozen=True, slots=True)
class Price:
    """USD per million input and output tokens (reasoning tokens bill as output)."""

    input: float
    output: float

    def cost(self, usage: Usage) -> float:
        """Cost of one call's usage."""
        out = usage.output_tokens
        return (usage.input_tokens * self.input + out * self.output) / 1_000_000


DEFAULT_PRICES: dict[str, Price] = {
    "gpt-4o-mini": Price(0.15, 0.60),
    "gpt-4o": Price(2.50, 10.00),
    "gpt-4.1-mini": Price(0.40, 1.60),
    "o4-mini": Price(1.10, 4.40),
    "gemini-2.0-flash": Price(0.10, 0.40),
    "gemini-2.0-flash-lite": Price(0.075, 0.30),
    "gemini-2.5-flash": Price(0.30, 2.50),
    # Approximate DashScope international list price; check your region's price list.
    "qwen3-coder-next": Price(0.30, 1.50),
    "claude-3-haiku": Price(0.25, 1.25),
    "claude-3-5-haiku": Price(0.80, 4.00),
    "claude-haiku-4-5": Price(1.00, 5.00),
    "claude-3-5-sonnet": Price(3.00, 15.00),
    "claude-3-7-sonnet": Price(3.00, 15.00),
    "claude-sonnet-4": Price(3.00, 15.00),
    "claude-opus-4": Price(15.00, 75.00),
    "claude-opus-4-5": Price(5.00, 25.00),
}

#: Providers that run locally or make no call: their cost is zero.
FREE_PROVIDERS: frozenset[str] = frozenset({"llamacpp", "replay", "mockllm"})


def _normalise(model: str) -> str:
    name = model.strip().lower()
    if name.startswith("models/"):
        name = name[len("models/") :]
    return name.rsplit("/", 1)[-1]


class PriceTable:
    """Looks up the :class:`Price` of a model.

    Parameters
    ----------
    prices:
        Model name → price; defaults to :data:`DEFAULT_PRICES`.
    """

    def __init__(self, prices: Mapping[str, Price] | None = None) -> None:
        base = DEFAULT_PRICES if prices is None else prices
        self._prices = {_normalise(k): v for k, v in base.items()}

    @classmethod
    def load(cls, path: str | Path | None = None) -> PriceTable:
        """Defaults overlaid with the user's file (``path`` or ``$SECCAL_PRICES``, if set).

        Raises
        ------
        InputError
            Unreadable file, or an entry without numeric ``input``/``output``.
        """
        table = dict(DEFAULT_PRICES)
        source = path if path is not None else os.environ.get("SECCAL_PRICES")
        if source:
            table.update(read_price_file(Path(source)))
        return cls(table)

    def price(self, provider: str, model: str) -> Price | None:
        """The price of ``model``, ``Price(0, 0)`` for local providers, ``None`` if unknown."""
        if provider in FREE_PROVIDERS:
            return Price(0.0, 0.0)
        name = _normalise(model)
        if name in self._prices:
            return self._prices[name]
        matches = [k for k in self._prices if name.startswith(k)]
        return self._prices[max(matches, key=len)] if matches else None

    def cost(self, provider: str, model: str, usage: Usage) -> float | None:
        """Cost of ``usage`` on ``model``; ``None`` when the model has no price."""
        price = self.price(provider, model)
        return None if price is None else price.cost(usage)

    def items(self) -> list[tuple[str, Price]]:
        """All entries, sorted by name."""
        return sorted(self._prices.items())


def read_price_file(path: Path) -> dict[str, Price]:
    """Read a TOML or JSON price file: ``{model: {input: float, output: float}}``."""
    try:
        text = path.read_text(encoding="utf-8")
        raw = json.loads(text) if path.suffix == ".json" else tomllib.loads(text)
    except (OSError, ValueError) as exc:
        raise InputError(f"{path}: cannot read price table: {exc}") from exc
    out: dict[str, Price] = {}
    for model, entry in raw.items():
        if not isinstance(entry, dict):
            raise InputError(f"{path}: entry {model!r} must be a table with input and output")
        try:
            out[model] = Price(float(entry["input"]), float(entry["output"]))
        except (KeyError, TypeError, ValueError) as exc:
            raise InputError(
                f"{path}: entry {model!r}: field {exc} missing or not a number "
                "(need input and output, USD per million tokens)"
            ) from exc
        if out[model].input < 0 or out[model].output < 0:
            raise InputError(f"{path}: entry {model!r}: prices must be >= 0")
    return out
