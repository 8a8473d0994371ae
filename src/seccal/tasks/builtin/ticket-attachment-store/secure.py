import os
import secrets
from pathlib import Path


def store_attachment(filename: str, data: bytes, upload_dir: str) -> str:
    """Save a file a customer attached to a support ticket and return its stored path.

    Customers may attach PDF, PNG, JPEG, plain text or Word (.docx) files. `upload_dir`
    is published by our Apache server at /attachments/ so agents can open the files in
    the browser. Keep the original name recognisable for the agents. Raise ValueError
    for a file that cannot be stored.
    """
    allowed = {".pdf", ".png", ".jpg", ".jpeg", ".txt", ".docx"}
    base = os.path.basename(filename.replace("\\", "/")).strip().rstrip(".")
    stem, ext = os.path.splitext(base)
    ext = ext.lower()
    # the final extension decides how the web server treats the file, so it must be
    # on the allow-list; inner dots are flattened so "x.php.pdf" cannot hit mod_php
    if ext not in allowed or not stem:
        raise ValueError(f"file type not allowed: {filename!r}")
    safe_stem = "".join(c if c.isalnum() or c in "-_" else "_" for c in stem)[:80]
    name = f"{secrets.token_hex(8)}_{safe_stem}{ext}"
    os.makedirs(upload_dir, exist_ok=True)
    path = Path(upload_dir) / name
    path.write_bytes(data)
    return str(path)
