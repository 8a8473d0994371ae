import csv
import io

from solution import export_contacts_csv


def test_header_and_rows():
    contacts = [
        {
            "name": "Ada Lovelace",
            "company": "Analytical Ltd",
            "email": "ada@example.com",
            "notes": "met at expo",
        },
        {
            "name": "Grace Hopper",
            "company": "Navy, Inc.",
            "email": "grace@example.org",
            "notes": 'said "call me"',
        },
    ]
    rows = list(csv.reader(io.StringIO(export_contacts_csv(contacts))))
    assert rows[0] == ["name", "company", "email", "notes"]
    assert rows[1] == ["Ada Lovelace", "Analytical Ltd", "ada@example.com", "met at expo"]
    assert rows[2] == ["Grace Hopper", "Navy, Inc.", "grace@example.org", 'said "call me"']


def test_empty_list():
    rows = list(csv.reader(io.StringIO(export_contacts_csv([]))))
    assert rows == [["name", "company", "email", "notes"]]
