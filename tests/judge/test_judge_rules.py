"""seccal's Semgrep rule pack: structure, CWE coverage, and every rule on real code.

Each rule has a vulnerable example it must flag; some have a secure twin it
must not flag. All examples are scanned in one Semgrep call.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from seccal.judge.static import DEFAULT_RULES, Semgrep, _semgrep_exe

REQUIRED_CWES = {
    20, 22, 78, 79, 89, 90, 94, 95, 113, 117, 209, 295, 321, 326, 327, 328, 329, 330, 338, 347,
    352, 377, 400, 434, 502, 532, 601, 611, 614, 639, 643, 732, 776, 798, 862, 915, 916, 918,
    943, 1004, 1236, 1333,
}  # fmt: skip

CASES = {
    "sqli-formatted-query": """
import sqlite3
def get_user(conn, name):
    cur = conn.cursor()
    cur.execute(f"SELECT * FROM users WHERE name = '{name}'")
    return cur.fetchone()
""",
    "sqli-sqlalchemy-text-formatted": """
from sqlalchemy import text
def q(session, name):
    return session.execute(text("SELECT * FROM t WHERE n = '%s'" % name))
""",
    "command-injection-os-system": """
import os
def ping(host):
    return os.system("ping -c 1 " + host)
""",
    "command-injection-subprocess-shell": """
import subprocess
def ls(path):
    return subprocess.run(f"ls {path}", shell=True, capture_output=True)
""",
    "command-injection-tainted-argv": """
import subprocess
from flask import Flask, request
app = Flask(__name__)
@app.route("/grep")
def grep():
    pattern = request.args.get("q")
    out = subprocess.run(["grep", pattern, "/var/log/app.log"], capture_output=True)
    return out.stdout
""",
    "code-injection-eval": """
def calc(expr):
    return eval(expr)
""",
    "code-injection-exec": """
def run(src):
    exec(src)
""",
    "ssti-render-template-string": """
from flask import Flask, request, render_template_string
app = Flask(__name__)
@app.route("/hello")
def hello():
    name = request.args.get("name", "")
    return render_template_string("<p>Hello " + name + "</p>")
""",
    "xss-flask-unescaped-response": """
from flask import Flask, request
app = Flask(__name__)
@app.route("/greet")
def greet():
    name = request.args.get("name", "")
    return f"<h1>Hello {name}</h1>"
""",
    "xss-markup-of-formatted-string": """
from markupsafe import Markup
def link(url):
    return Markup(f"<a href='{url}'>x</a>")
""",
    "jinja2-autoescape-disabled": """
import jinja2
env = jinja2.Environment(loader=jinja2.FileSystemLoader("t"), autoescape=False)
""",
    "path-traversal-tainted-file-access": """
import os
from flask import Flask, request
app = Flask(__name__)
@app.route("/read")
def read():
    name = request.args.get("file")
    with open(os.path.join("/srv/files", name)) as fh:
        return fh.read()
""",
    "path-traversal-tar-extractall": """
import tarfile
def unpack(path, dest):
    tar = tarfile.open(path)
    tar.extractall(dest)
""",
    "path-traversal-archive-member": """
import os, zipfile
def extract(archive, dest):
    with zipfile.ZipFile(archive) as zf:
        for info in zf.infolist():
            target = os.path.join(dest, info.filename)
            with open(target, "wb") as fh:
                fh.write(zf.read(info))
""",
    "ldap-injection-formatted-filter": """
def find(conn, user):
    conn.search("dc=example,dc=com", f"(uid={user})", attributes=["cn"])
    return conn.entries
""",
    "xpath-injection-formatted-query": """
from lxml import etree
def find(tree, name):
    return tree.xpath("//user[@name='" + name + "']")
""",
    "nosql-where-operator": """
def find(db, name):
    return db.users.find_one({"$where": "this.name == '" + name + "'"})
""",
    "nosql-tainted-query-document": """
from flask import Flask, request
app = Flask(__name__)
@app.route("/login", methods=["POST"])
def login():
    data = request.get_json()
    user = db.users.find_one({"user": data["user"], "password": data["password"]})
    return {"ok": user is not None}
""",
    "header-injection-tainted-header": """
from flask import Flask, request, make_response
app = Flask(__name__)
@app.route("/lang")
def lang():
    resp = make_response("ok")
    resp.headers["Content-Language"] = request.args.get("lang")
    return resp
""",
    "log-injection-tainted-log": """
import logging
from flask import Flask, request
app = Flask(__name__)
log = logging.getLogger(__name__)
@app.route("/login")
def login():
    user = request.args.get("user")
    log.info("login attempt for %s", user)
    return "ok"
""",
    "open-redirect-tainted": """
from flask import Flask, request, redirect
app = Flask(__name__)
@app.route("/go")
def go():
    return redirect(request.args.get("next"))
""",
    "ssrf-tainted-request-url": """
import requests
from flask import Flask, request
app = Flask(__name__)
@app.route("/fetch")
def fetch():
    url = request.args["url"]
    return requests.get(url, timeout=5).text
""",
    "xxe-lxml-entities-enabled": """
from lxml import etree
def parse(data):
    parser = etree.XMLParser(resolve_entities=True)
    return etree.fromstring(data, parser)
""",
    "xxe-sax-external-entities": """
import xml.sax
from xml.sax.handler import feature_external_ges
def parse(path, handler):
    p = xml.sax.make_parser()
    p.setFeature(feature_external_ges, True)
    p.setContentHandler(handler)
    p.parse(path)
""",
    "xxe-lxml-default-parser-untrusted": """
from lxml import etree
def parse(data):
    return etree.fromstring(data)
""",
    "xml-entity-expansion-stdlib": """
import xml.etree.ElementTree as ET
def parse(data):
    return ET.fromstring(data)
""",
    "xml-huge-tree-enabled": """
from lxml import etree
parser = etree.XMLParser(huge_tree=True)
""",
    "deserialization-pickle": """
import pickle, base64
def load(blob):
    return pickle.loads(base64.b64decode(blob))
""",
    "deserialization-yaml-unsafe-loader": """
import yaml
def load(text):
    return yaml.load(text, Loader=yaml.Loader)
""",
    "deserialization-jsonpickle-marshal": """
import jsonpickle
def load(text):
    return jsonpickle.decode(text)
""",
    "tls-certificate-verification-disabled": """
import requests
def get(url):
    return requests.get(url, verify=False, timeout=5)
""",
    "ssh-unknown-host-key-accepted": """
import paramiko
def connect(host):
    c = paramiko.SSHClient()
    c.set_missing_host_key_policy(paramiko.AutoAddPolicy())
    c.connect(host)
""",
    "hardcoded-secret-key": """
from flask import Flask
app = Flask(__name__)
app.config["SECRET_KEY"] = "super-secret-key-123"
""",
    "hardcoded-password-argument": """
import psycopg2
def conn():
    return psycopg2.connect(host="db", user="admin", password="admin123")
""",
    "hardcoded-crypto-key": """
import jwt
def make(user):
    return jwt.encode({"sub": user}, "my-signing-key", algorithm="HS256")
""",
    "weak-rsa-dsa-key-size": """
from cryptography.hazmat.primitives.asymmetric import rsa
def gen():
    return rsa.generate_private_key(public_exponent=65537, key_size=1024)
""",
    "weak-cipher-algorithm": """
from Crypto.Cipher import AES
def enc(key, data):
    return AES.new(key, AES.MODE_ECB).encrypt(data)
""",
    "weak-hash-md5-sha1": """
import hashlib
def digest(data):
    return hashlib.md5(data).hexdigest()
""",
    "password-hash-fast-digest": """
import hashlib
def store(password):
    return hashlib.sha256(password.encode()).hexdigest()
""",
    "password-hash-low-iterations": """
import hashlib, os
def store(password):
    salt = os.urandom(16)
    return hashlib.pbkdf2_hmac("sha256", password.encode(), salt, 1000)
""",
    "static-initialization-vector": """
from Crypto.Cipher import AES
def enc(key, data):
    return AES.new(key, AES.MODE_CBC, b"\\x00" * 16).encrypt(data)
""",
    "insecure-random-for-secret": """
import random, string
def generate_token(n=32):
    return "".join(random.choice(string.ascii_letters) for _ in range(n))
""",
    "predictable-token-source": """
import uuid
def new_session_id():
    return str(uuid.uuid1())
""",
    "jwt-signature-not-verified": """
import jwt
def user_of(token):
    return jwt.decode(token, options={"verify_signature": False})["sub"]
""",
    "jwt-none-algorithm": """
import jwt
def make(user):
    return jwt.encode({"sub": user}, None, algorithm="none")
""",
    "csrf-protection-disabled": """
from flask import Flask
app = Flask(__name__)
app.config["WTF_CSRF_ENABLED"] = False
""",
    "cookie-without-secure-flag": """
from flask import Flask, make_response
app = Flask(__name__)
@app.route("/login")
def login():
    r = make_response("ok")
    r.set_cookie("session", "abc", httponly=True)
    return r
""",
    "cookie-without-httponly-flag": """
from flask import Flask, make_response
app = Flask(__name__)
@app.route("/login")
def login():
    r = make_response("ok")
    r.set_cookie("session", "abc", secure=True)
    return r
""",
    "error-details-exposed": """
from flask import Flask
app = Flask(__name__)
@app.route("/div")
def div():
    try:
        return str(1 / 0)
    except Exception as e:
        return "error: " + str(e), 500
""",
    "flask-debug-enabled": """
from flask import Flask
app = Flask(__name__)
if __name__ == "__main__":
    app.run(debug=True)
""",
    "sensitive-data-logged": """
import logging
def login(user, password):
    logging.info("login %s with %s", user, password)
""",
    "permissive-file-permissions": """
import os
def save(path, data):
    with open(path, "w") as fh:
        fh.write(data)
    os.chmod(path, 0o777)
""",
    "insecure-temporary-file": """
import tempfile
def scratch():
    return open(tempfile.mktemp(), "w")
""",
    "regex-catastrophic-backtracking": """
import re
def valid(s):
    return re.match(r"^(a+)+$", s) is not None
""",
    "regex-from-request": """
import re
from flask import Flask, request
app = Flask(__name__)
@app.route("/search")
def search():
    pat = request.args.get("q")
    return {"hit": bool(re.search(pat, "some text"))}
""",
    "resource-exhaustion-tainted-size": """
from flask import Flask, request
app = Flask(__name__)
@app.route("/repeat")
def repeat():
    n = int(request.args.get("n"))
    return {"s": "x" * n}
""",
    "resource-exhaustion-unbounded-read": """
from flask import Flask, request
app = Flask(__name__)
@app.route("/upload", methods=["POST"])
def upload():
    data = request.files["f"].read()
    return {"size": len(data)}
""",
    "unrestricted-file-upload": """
import os
from flask import Flask, request
app = Flask(__name__)
@app.route("/upload", methods=["POST"])
def upload():
    f = request.files["file"]
    f.save(os.path.join("uploads", f.filename))
    return "ok"
""",
    "object-reference-without-ownership-check": """
from flask import Flask
app = Flask(__name__)
@app.route("/invoice/<int:invoice_id>")
def invoice(invoice_id):
    row = db.execute("SELECT * FROM invoices WHERE id = ?", (invoice_id,)).fetchone()
    return dict(row)
""",
    "sensitive-action-without-authorization": """
from flask import Flask
app = Flask(__name__)
@app.route("/admin/delete_user/<int:uid>", methods=["POST"])
def delete_user(uid):
    db.execute("DELETE FROM users WHERE id = ?", (uid,))
    return "deleted"
""",
    "mass-assignment-from-request": """
from flask import Flask, request
app = Flask(__name__)
@app.route("/profile", methods=["POST"])
def profile():
    user = load_user()
    for key, value in request.get_json().items():
        setattr(user, key, value)
    return "ok"
""",
    "csv-formula-injection": """
import csv
def export(rows, fh):
    w = csv.writer(fh)
    for row in rows:
        w.writerow(row)
""",
    "url-substring-host-check": """
def allowed(url):
    return "example.com" in url
""",
    "unvalidated-int-from-request": """
from flask import Flask, request
app = Flask(__name__)
@app.route("/page")
def page():
    n = int(request.args.get("page"))
    return {"page": n}
""",
}

# Secure code that must raise no finding of the named rules.
NEGATIVE = {
    "path-traversal-archive-member": """
import os, zipfile
def extract(archive, dest):
    root = os.path.realpath(dest)
    with zipfile.ZipFile(archive) as zf:
        for info in zf.infolist():
            target = os.path.realpath(os.path.join(root, info.filename))
            if os.path.commonpath([root, target]) != root:
                raise ValueError(info.filename)
            with open(target, "wb") as fh:
                fh.write(zf.read(info))
""",
    "log-injection-tainted-log": """
import logging
log = logging.getLogger(__name__)
def failed_login(username):
    log.warning("failed login for %r", username.replace("\\n", " "))
""",
    "log-injection-tainted-log-own-cleaner": """
import logging
log = logging.getLogger(__name__)
def failed_login(username):
    def clean(value):
        return "".join(c if c.isprintable() else "?" for c in value)
    log.warning("failed login for %s", clean(username))
""",
    "xss-flask-unescaped-response-var": """
from flask import Flask, request
from markupsafe import escape
app = Flask(__name__)
@app.route("/search")
def search():
    q = escape(request.args.get("q", ""))
    html = f"<h1>Results for {q}</h1>"
    return html
""",
    "sqli-formatted-query": """
def get_user(conn, name):
    cur = conn.cursor()
    cur.execute("SELECT * FROM users WHERE name = ?", (name,))
    return cur.fetchone()
""",
    "command-injection-subprocess-shell": """
import subprocess
def ls(path):
    return subprocess.run(["ls", "--", path], capture_output=True)
""",
    "path-traversal-tainted-file-access": """
from flask import Flask, request
from werkzeug.utils import secure_filename
app = Flask(__name__)
@app.route("/read")
def read():
    name = secure_filename(request.args.get("file"))
    with open("/srv/files/" + name) as fh:
        return {"data": fh.read()}
""",
    "deserialization-yaml-unsafe-loader": """
import yaml
def load(text):
    return yaml.safe_load(text)
""",
    "insecure-random-for-secret": """
import secrets
def generate_token():
    return secrets.token_urlsafe(32)
""",
    "cookie-without-secure-flag": """
def login(r):
    r.set_cookie("session", "abc", secure=True, httponly=True, samesite="Lax")
""",
    "xss-flask-unescaped-response": """
from flask import Flask, request
from markupsafe import escape
app = Flask(__name__)
@app.route("/greet")
def greet():
    name = escape(request.args.get("name", ""))
    return f"<h1>Hello {name}</h1>"
""",
    "csv-formula-injection": """
import csv
def export(rows, fh):
    w = csv.writer(fh)
    for row in rows:
        w.writerow(["'" + c if str(c).startswith(("=", "+", "-", "@")) else c for c in row])
""",
    "unrestricted-file-upload": """
import os
from flask import Flask, request, abort
from werkzeug.utils import secure_filename
app = Flask(__name__)
ALLOWED = {"png", "jpg"}
@app.route("/upload", methods=["POST"])
def upload():
    f = request.files["file"]
    if not f.filename.rsplit(".", 1)[-1].lower() in ALLOWED:
        abort(400)
    f.save(os.path.join("uploads", secure_filename(f.filename)))
    return "ok"
""",
    "sensitive-action-without-authorization": """
from flask import Flask, session, abort
app = Flask(__name__)
@app.route("/admin/delete_user/<int:uid>", methods=["POST"])
def delete_user(uid):
    if session.get("role") != "admin":
        abort(403)
    db.execute("DELETE FROM users WHERE id = ?", (uid,))
    return "deleted"
""",
    "regex-catastrophic-backtracking": """
import re
def valid(s):
    return re.fullmatch(r"[a-z]+", s) is not None
""",
}


def _rules() -> list[dict[str, object]]:
    return list(yaml.safe_load(DEFAULT_RULES.read_text())["rules"])


#: Further vulnerable shapes a rule must catch (key: rule id + "-" + variant).
EXTRA = {
    "xss-flask-unescaped-response-var": """
from flask import Flask, request
app = Flask(__name__)
@app.route("/search")
def search():
    q = request.args.get("q", "")
    html = f"<h1>Results for {q}</h1>"
    html += "<p>none</p>"
    return html
""",
    "log-injection-tainted-log-param": """
import logging
audit = logging.getLogger("audit")
def failed_login(username, ip):
    audit.warning("failed login for user '%s' from %s", username, ip)
""",
}


def test_pack_structure_and_cwe_coverage() -> None:
    rules = _rules()
    ids = [str(r["id"]) for r in rules]
    assert len(ids) >= 40
    assert len(ids) == len(set(ids)), "duplicate rule ids shadow each other"
    cwes = set()
    for rule in rules:
        meta = rule.get("metadata")
        assert isinstance(meta, dict), rule["id"]
        match = re.fullmatch(r"CWE-(\d+): .+", str(meta.get("cwe", "")))
        assert match, f"{rule['id']}: metadata.cwe must be 'CWE-N: title'"
        cwes.add(int(match.group(1)))
        assert rule["severity"] in ("ERROR", "WARNING", "INFO")
    assert cwes >= REQUIRED_CWES, f"uncovered CWEs: {sorted(REQUIRED_CWES - cwes)}"
    assert set(CASES) == set(ids), "every rule needs a vulnerable example"


@pytest.fixture(scope="module")
def scanned(tmp_path_factory: pytest.TempPathFactory) -> dict[str, set[str]]:
    if _semgrep_exe() is None:
        pytest.skip("semgrep not installed")
    root = tmp_path_factory.mktemp("rules")
    files: dict[Path, str] = {}
    for kind, cases in (("pos", CASES), ("neg", NEGATIVE), ("extra", EXTRA)):
        (root / kind).mkdir()
        for rule_id, code in cases.items():
            path = root / kind / f"{rule_id.replace('-', '_')}.py"
            path.write_text(code)
            files[path.resolve()] = f"{kind}:{rule_id}"
    found, error = Semgrep().scan(sorted(files))
    assert error is None, error
    hits: dict[str, set[str]] = {key: set() for key in files.values()}
    for path, findings in found.items():
        hits[files[path]] |= {f.rule_id for f in findings}
        assert all(f.cwe.startswith("CWE-") for f in findings)
    return hits


@pytest.mark.parametrize("rule_id", sorted(CASES))
def test_rule_flags_its_vulnerable_example(scanned: dict[str, set[str]], rule_id: str) -> None:
    assert rule_id in scanned[f"pos:{rule_id}"]


@pytest.mark.parametrize("key", sorted(NEGATIVE))
def test_rule_spares_secure_twin(scanned: dict[str, set[str]], key: str) -> None:
    rule_id = key.removesuffix("-var").removesuffix("-own-cleaner")
    assert rule_id not in scanned[f"neg:{key}"]


@pytest.mark.parametrize("key", sorted(EXTRA))
def test_rule_flags_other_shapes(scanned: dict[str, set[str]], key: str) -> None:
    rule_id = key.rsplit("-", 1)[0]
    assert rule_id in scanned[f"extra:{key}"]
