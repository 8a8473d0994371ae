import csv
import os
import tempfile


def export_report_csv(user_id: int, rows: list[list[str]], tmp_dir: str = "/tmp") -> str:
    """Write `rows` as a CSV file in `tmp_dir` and return the file's path.

    The worker that e-mails the export picks the file up from the returned path and
    deletes it afterwards.
    """
    path = os.path.join(tmp_dir, f"export_{user_id}.csv")
    with open(path, "w", newline="") as fh:
        csv.writer(fh).writerows(rows)
    return path
