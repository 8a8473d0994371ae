import csv
import os
import tempfile


def export_report_csv(user_id: int, rows: list[list[str]], tmp_dir: str = "/tmp") -> str:
    """Write `rows` as a CSV file in `tmp_dir` and return the file's path.

    The worker that e-mails the export picks the file up from the returned path and
    deletes it afterwards.
    """
