"""Map the modules a piece of Python code imports to the distributions providing them."""

from __future__ import annotations

import ast
import sys

# Import name -> PyPI distribution, where they differ or the module is third-party.
_DISTRIBUTIONS = {
    "Crypto": "pycryptodome",
    "yaml": "PyYAML",
    "jwt": "PyJWT",
    "lxml": "lxml",
    "flask": "flask",
    "flask_sqlalchemy": "flask-sqlalchemy",
    "sqlalchemy": "sqlalchemy",
    "defusedxml": "defusedxml",
    "requests": "requests",
    "cryptography": "cryptography",
    "bcrypt": "bcrypt",
    "ldap3": "ldap3",
    "ldap": "python-ldap",
    "mongomock": "mongomock",
    "pymongo": "pymongo",
    "paramiko": "paramiko",
    "jinja2": "jinja2",
    "django": "django",
    "jsonpickle": "jsonpickle",
    "argon2": "argon2-cffi",
    "wrapt_timeout_decorator": "wrapt_timeout_decorator",
    "markupsafe": "markupsafe",
    "werkzeug": "werkzeug",
    "pytest": "pytest",
    "OpenSSL": "pyopenssl",
}


def imported_top_modules(source: str) -> set[str]:
    """Top-level module names imported anywhere in ``source`` (empty if it does not parse)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return set()
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def third_party_distributions(*sources: str, local: set[str] | None = None) -> tuple[str, ...]:
    """Sorted distributions imported by ``sources``, ignoring stdlib and ``local`` modules."""
    skip = set(sys.stdlib_module_names) | (local or set())
    dists = set()
    for src in sources:
        for mod in imported_top_modules(src) - skip:
            dists.add(_DISTRIBUTIONS.get(mod, mod))
    return tuple(sorted(dists, key=str.lower))
