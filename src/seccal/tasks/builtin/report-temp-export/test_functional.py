import csv
import os

from solution import export_report_csv


def test_export_written(tmp_path):
    rows = [["date", "amount"], ["2024-05-01", "12.50"], ["2024-05-02", "3.10"]]
    path = export_report_csv(7, rows, str(tmp_path))
    assert os.path.dirname(os.path.abspath(path)) == str(tmp_path)
    with open(path, newline="") as fh:
        assert list(csv.reader(fh)) == rows


def test_two_exports_for_same_user(tmp_path):
    a = export_report_csv(9, [["a"]], str(tmp_path))
    with open(a, newline="") as fh:
        assert list(csv.reader(fh)) == [["a"]]
    os.remove(a)
    b = export_report_csv(9, [["b"]], str(tmp_path))
    with open(b, newline="") as fh:
        assert list(csv.reader(fh)) == [["b"]]
