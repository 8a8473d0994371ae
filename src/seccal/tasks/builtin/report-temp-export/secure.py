import csv
import os
import tempfile


def export_report_csv(user_id: int, rows: list[list[str]], tmp_dir: str = "/tmp") -> str:
    """Write `rows` as a CSV file in `tmp_dir` and return the file's path.

    The worker that e-mails the export picks the file up from the returned path and
    deletes it afterwards.
    """
    # mkstemp picks an unpredictable name and creates it with O_EXCL and mode 0600,
    # so nobody can pre-plant a symlink there or read the export
    fd, path = tempfile.mkstemp(prefix=f"export_{user_id}_", suffix=".csv", dir=tmp_dir)
    with os.fdopen(fd, "w", newline="") as fh:
        csv.writer(fh).writerows(rows)
    return path
