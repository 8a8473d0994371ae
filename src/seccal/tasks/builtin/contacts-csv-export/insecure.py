import csv
import io


def export_contacts_csv(contacts: list[dict[str, str]]) -> str:
    """Export CRM contacts as CSV text that the sales team opens in Excel.

    Columns: name, company, email, notes (header row first), one row per contact in the
    given order. Contacts fill in these fields themselves on our web form.
    """
    out = io.StringIO()
    columns = ["name", "company", "email", "notes"]
    writer = csv.DictWriter(out, fieldnames=columns, extrasaction="ignore")
    writer.writeheader()
    for contact in contacts:
        writer.writerow(contact)
    return out.getvalue()
