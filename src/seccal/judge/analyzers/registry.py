"""Analyzer registry: name → factory, the shipped wrappers imported lazily by dotted path.

The same mechanism as model providers (:mod:`seccal.models.registry`) and judge
backends (:mod:`seccal.judge.backends`): a decorator (:func:`register_analyzer`) plus a
table of shipped analyzers, so importing the judge imports no wrapper it does not use,
and a wrapper that cannot be imported fails with a message naming it.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable

from seccal.core.findings import ANALYZER_NAMES
from seccal.errors import ConfigError
from seccal.judge.analyzers.base import Analyzer
from seccal.judge.config import JudgeConfig

AnalyzerFactory = Callable[[JudgeConfig], Analyzer]

#: Analyzers shipped with seccal: name → module that registers it.
_SHIPPED: dict[str, str] = {name: f"seccal.judge.analyzers.{name}" for name in ANALYZER_NAMES}
_REGISTERED: dict[str, AnalyzerFactory] = {}


def register_analyzer(name: str) -> Callable[[type], type]:
    """Class decorator registering an analyzer under ``name`` (its constructor takes a config).

    Examples
    --------
    >>> @register_analyzer("doc-example")
    ... class _Doc:
    ...     name, suffixes = "doc-example", frozenset({".txt"})
    ...     def __init__(self, config): ...
    ...     def scan(self, paths): return {}
    >>> create_analyzer("doc-example", JudgeConfig()).name
    'doc-example'
    """

    def decorate(cls: type) -> type:
        _REGISTERED[name] = cls
        return cls

    return decorate


def analyzer_names() -> list[str]:
    """Every name :func:`create_analyzer` accepts."""
    return sorted({*_SHIPPED, *_REGISTERED})


def create_analyzer(name: str, config: JudgeConfig) -> Analyzer:
    """A new analyzer ``name`` (a shipped one is imported on first use).

    Raises
    ------
    ConfigError
        Unknown name, or the wrapper's module cannot be imported.
    """
    if name not in _REGISTERED and name in _SHIPPED:
        try:
            importlib.import_module(_SHIPPED[name])  # registers itself
        except ImportError as exc:
            raise ConfigError(f"static analyzer {name!r} cannot be imported: {exc}") from exc
    factory = _REGISTERED.get(name)
    if factory is None:
        raise ConfigError(f"unknown static analyzer {name!r}; known: {', '.join(analyzer_names())}")
    return factory(config)


def create_analyzers(config: JudgeConfig) -> list[Analyzer]:
    """The analyzers ``config.analyzers`` names, in order."""
    return [create_analyzer(name, config) for name in config.analyzers]
