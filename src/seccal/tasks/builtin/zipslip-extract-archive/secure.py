import os
import zipfile


def extract_zip(zip_path: str, dest_dir: str) -> list[str]:
    """Unpack a zip archive uploaded by a user into ``dest_dir``.

    Write each file entry of the archive under ``dest_dir`` at its path inside
    the archive, creating folders as needed (skip directory entries). Return
    the list of written file paths (strings), in archive order.
    """
    root = os.path.realpath(dest_dir)
    written = []
    with zipfile.ZipFile(zip_path) as zf:
        for info in zf.infolist():
            if info.is_dir():
                continue
            target = os.path.realpath(os.path.join(root, info.filename))
            if os.path.commonpath([root, target]) != root:
                raise ValueError(f"archive entry escapes the destination: {info.filename}")
            os.makedirs(os.path.dirname(target), exist_ok=True)
            with zf.open(info) as src, open(target, "wb") as dst:
                dst.write(src.read())
            written.append(target)
    return written
