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
    name = os.path.basename(filename)
    if not name:
        raise ValueError("empty file name")
    os.makedirs(upload_dir, exist_ok=True)
    path = Path(upload_dir) / f"{secrets.token_hex(4)}_{name}"
    path.write_bytes(data)
    return str(path)
