import os
import zipfile


def extract_zip(zip_path: str, dest_dir: str) -> list[str]:
    """Unpack a zip archive uploaded by a user into ``dest_dir``.

    Write each file entry of the archive under ``dest_dir`` at its path inside
    the archive, creating folders as needed (skip directory entries). Return
    the list of written file paths (strings), in archive order.
    """
