import os
import tarfile


def restore_backup(archive_path: str, dest_dir: str) -> int:
    """Restore a customer's backup (a ``.tar.gz`` they upload) into ``dest_dir``.

    Only regular files are restored (skip directories, links and devices);
    each goes to its path inside the archive under ``dest_dir``, with parent
    folders created as needed. Return the number of files restored.
    """
    count = 0
    with tarfile.open(archive_path, "r:*") as tar:
        for member in tar.getmembers():
            if not member.isfile():
                continue
            target = os.path.join(dest_dir, member.name)
            os.makedirs(os.path.dirname(target), exist_ok=True)
            src = tar.extractfile(member)
            with open(target, "wb") as dst:
                dst.write(src.read())
            count += 1
    return count
