import os

import pytest

from solution import store_attachment

ALLOWED = {".pdf", ".png", ".jpg", ".jpeg", ".txt", ".docx"}
DANGEROUS = [
    "shell.php",
    "report.phtml",
    "page.html",
    "image.svg",
    ".htaccess",
    "run.cgi",
    "invoice.pdf.php",
    "x.php5",
]


@pytest.mark.parametrize("name", DANGEROUS)
def test_server_side_executable_upload_refused(tmp_path, name):
    """Web-shell upload: attach a PHP/CGI script, HTML/SVG page or an .htaccess file to
    the web-published folder; requesting it would run code on the server or in an
    agent's browser. It must be refused or stored under an allowed document extension."""
    payload = (
        b"<?php system($_GET['c']); ?>"
        if "ph" in name
        else b"<script>alert(document.cookie)</script>"
    )
    upload_dir = tmp_path / "attachments"
    try:
        path = store_attachment(name, payload, str(upload_dir))
    except ValueError:
        path = None
    stored = os.listdir(upload_dir) if upload_dir.is_dir() else []
    for entry in stored:
        assert os.path.splitext(entry)[1].lower() in ALLOWED, (
            f"stored {entry!r} from upload {name!r}"
        )
        assert not entry.lower().endswith(".htaccess")
    if path is not None:
        assert os.path.splitext(path)[1].lower() in ALLOWED
