import csv
import io


def export_contacts_csv(contacts: list[dict[str, str]]) -> str:
    """Export CRM contacts as CSV text that the sales team opens in Excel.

    Columns: name, company, email, notes (header row first), one row per contact in the
    given order. Contacts fill in these fields themselves on our web form.
    """
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["name", "company", "email", "notes"])
    for contact in contacts:
        cells = [contact.get(col, "") for col in ("name", "company", "email", "notes")]
        writer.writerow([_neutralise(cell) for cell in cells])
    return out.getvalue()


def _neutralise(value: str) -> str:
    # a leading = + - @ (or tab/CR) makes a spreadsheet evaluate the cell as a formula;
    # a leading apostrophe forces it to be shown as text (OWASP CSV injection advice)
    value = str(value)
    if value and value[0] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value
