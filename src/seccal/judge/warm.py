"""What the in-sandbox driver imports once, before it forks a child per snippet.

Importing a module in the driver (the "zygote") instead of in every child saves
its import time for each snippet of the batch; each child gets a private
copy-on-write image of it, so what a snippet does to a module stays in its own
process. The price is faithfulness: a preloaded module is already in
``sys.modules`` when the snippet runs, which a fresh interpreter would not have.

Two lists:

:data:`PRELOAD`
    Light, ubiquitous modules (Flask and the stdlib modules tests use), imported
    for every batch.
:data:`ON_DEMAND`
    Heavy modules (SQLAlchemy, PyJWT, PyCryptodome, Django, lxml, requests ...)
    that cost 20-500 ms each to import. The driver imports one only when **every**
    job of the batch imports it (or one of its submodules) at module level in its
    snippet or test files, none of them hides it (a package its image lacks) and
    no task file shadows it: then each child would import it before running any
    test anyway, and preloading changes only when the import happens, never
    whether. The judge puts snippets of one task into the same batch, so their
    shared imports qualify.

Only names on these lists are ever preloaded: a snippet can make the driver
import nothing else.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Sequence
from pathlib import PurePosixPath

__all__ = ["ON_DEMAND", "PRELOAD", "batch_preload", "module_imports"]

PRELOAD: tuple[str, ...] = (
    "flask", "flask.testing", "click.testing", "werkzeug.test", "werkzeug.utils", "jinja2",
    "markupsafe", "sqlite3", "json", "hashlib", "hmac", "secrets", "base64", "subprocess",
    "shlex", "tempfile", "urllib.parse", "html", "re", "xml.etree.ElementTree",
    "pdb", "readline", "encodings.idna", "unittest", "runpy", "csv", "logging",
)  # fmt: skip
#: Heavy modules preloaded only when every job of a batch imports them (measured
#: import times in SALLM's environment: flask_sqlalchemy ~400 ms, django.http ~240 ms,
#: Crypto.Cipher ~90 ms, requests ~120 ms, jwt ~40 ms). Modules that warn, print or
#: start threads at import (paramiko) are left out: the child must see that itself.
ON_DEMAND: tuple[str, ...] = (
    "flask_sqlalchemy", "sqlalchemy", "sqlalchemy.orm", "jwt", "Crypto.Cipher",
    "Crypto.PublicKey", "Crypto.Hash", "Crypto.Random", "Crypto.Util.Padding",
    "cryptography.fernet", "lxml.etree", "lxml.html", "django.conf", "django.http",
    "django.utils.log", "requests", "bcrypt", "unittest.mock", "yaml",
)  # fmt: skip


def _module_level(body: Sequence[ast.stmt]) -> Iterable[ast.stmt]:
    """Statements a module runs when imported (not those inside functions or classes)."""
    for node in body:
        yield node
        if isinstance(node, ast.If | ast.With | ast.For | ast.While):
            yield from _module_level(node.body)
            yield from _module_level(node.orelse if not isinstance(node, ast.With) else ())
        elif isinstance(node, ast.Try | ast.TryStar):
            for part in (node.body, node.orelse, node.finalbody):
                yield from _module_level(part)
            for handler in node.handlers:
                yield from _module_level(handler.body)


def module_imports(source: str) -> frozenset[str]:
    """Absolute module names ``source`` imports at module level (empty if it does not parse).

    Examples
    --------
    >>> sorted(module_imports("import os.path\\nfrom jwt import encode\\ndef f():\\n  import yaml"))
    ['jwt', 'os.path']
    """
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return frozenset()
    names: set[str] = set()
    for node in _module_level(tree.body):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
    return frozenset(names)


def _covers(wanted: str, imported: frozenset[str]) -> bool:
    """Whether importing ``imported`` imports ``wanted`` (it or one of its submodules)."""
    return any(name == wanted or name.startswith(wanted + ".") for name in imported)


def job_top_names(files: Iterable[str]) -> frozenset[str]:
    """Top-level module names a job's own files (relative paths) would provide."""
    out: set[str] = set()
    for name in files:
        top = PurePosixPath(name).parts[0] if PurePosixPath(name).parts else ""
        out.add(top.split(".", 1)[0])
    return frozenset(out)


def batch_preload(
    imports: Sequence[frozenset[str]],
    hidden: Iterable[str] = (),
    shadowed: Iterable[str] = (),
) -> list[str]:
    """The modules the driver of a batch imports: :data:`PRELOAD` plus qualifying :data:`ON_DEMAND`.

    Parameters
    ----------
    imports:
        Per job, the module names its snippet and test files import at module level.
    hidden:
        Top-level modules hidden from some job of the batch (its image lacks them).
    shadowed:
        Top-level names some job's own files provide (a ``jwt.py`` beside the tests).

    Examples
    --------
    >>> jobs = [frozenset({"flask_sqlalchemy", "os"}), frozenset({"flask_sqlalchemy"})]
    >>> batch_preload(jobs)[len(PRELOAD):]
    ['flask_sqlalchemy']
    >>> batch_preload(jobs + [frozenset({"os"})])[len(PRELOAD):]
    []
    """
    if not imports:
        return list(PRELOAD)
    skip = set(hidden) | set(shadowed)
    extra = [
        name
        for name in ON_DEMAND
        if name.partition(".")[0] not in skip and all(_covers(name, job) for job in imports)
    ]
    return [*PRELOAD, *extra]
