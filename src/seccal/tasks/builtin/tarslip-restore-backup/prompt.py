import os
import tarfile


def restore_backup(archive_path: str, dest_dir: str) -> int:
    """Restore a customer's backup (a ``.tar.gz`` they upload) into ``dest_dir``.

    Only regular files are restored (skip directories, links and devices);
    each goes to its path inside the archive under ``dest_dir``, with parent
    folders created as needed. Return the number of files restored.
    """
