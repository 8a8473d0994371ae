from pathlib import Path

from seccal.judge.envpkgs import canonical, closure, hidden_modules, installed


def _dist(site: Path, name: str, requires: list[str], top: list[str] | None) -> None:
    info = site / f"{name.replace('-', '_')}-1.0.dist-info"
    info.mkdir(parents=True)
    meta = ["Metadata-Version: 2.1", f"Name: {name}", "Version: 1.0"]
    meta += [f"Requires-Dist: {r}" for r in requires]
    (info / "METADATA").write_text("\n".join(meta) + "\n")
    if top is not None:
        (info / "top_level.txt").write_text("\n".join(top) + "\n")
    else:  # no top_level.txt: the modules come from RECORD (whose files exist, as pip leaves them)
        (site / f"{name.lower()}_mod").mkdir()
        (site / f"{name.lower()}_mod" / "__init__.py").write_text("")
        (info / "RECORD").write_text(
            f"{name.lower()}_mod/__init__.py,,\n{info.name}/METADATA,,\n../../bin/tool,,\n"
        )


def _venv(tmp_path: Path) -> Path:
    site = tmp_path / "venv" / "lib" / "python3.11" / "site-packages"
    _dist(
        site, "Flask", ["Werkzeug>=2.3.7", "itsdangerous", 'asgiref; extra == "async"'], ["flask"]
    )
    _dist(site, "Werkzeug", ["MarkupSafe>=2.1.1"], ["werkzeug"])
    _dist(site, "MarkupSafe", [], ["markupsafe"])
    _dist(site, "itsdangerous", [], ["itsdangerous"])
    _dist(site, "asgiref", [], ["asgiref"])
    _dist(site, "requests", ["urllib3"], ["requests"])
    _dist(site, "urllib3", [], None)
    _dist(site, "pip", [], ["pip"])
    return tmp_path / "venv"


def test_closure_follows_requirements_but_not_extras(tmp_path: Path) -> None:
    venv = _venv(tmp_path)
    assert set(installed(venv)) == {
        "flask", "werkzeug", "markupsafe", "itsdangerous", "asgiref", "requests", "urllib3", "pip",
    }  # fmt: skip
    assert closure(venv, ["flask"]) == {"flask", "werkzeug", "markupsafe", "itsdangerous"}


def test_hidden_modules_are_what_the_image_would_lack(tmp_path: Path) -> None:
    venv = _venv(tmp_path)
    # an image installing Flask has neither requests nor the async extra; pip comes with python
    assert hidden_modules(venv, ["Flask"]) == ("asgiref", "requests", "urllib3_mod")
    assert hidden_modules(venv, ["flask", "Requests"]) == ("asgiref",)


def test_canonical() -> None:
    assert canonical("Flask_SQLAlchemy") == canonical("flask.sqlalchemy") == "flask-sqlalchemy"
