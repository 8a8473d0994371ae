import os
import tempfile

from docs.settings import Settings


def make_store():
    root = tempfile.mkdtemp()
    att = os.path.join(root, "attachments")
    os.makedirs(os.path.join(att, "t1"))
    with open(os.path.join(att, "t1", "log.txt"), "wb") as fh:
        fh.write(b"stack trace")
    with open(os.path.join(root, "service.key"), "wb") as fh:
        fh.write(b"PRIVATE KEY")
    return Settings(attachment_dir=att), root
