import csv
import io


def export_contacts_csv(contacts: list[dict[str, str]]) -> str:
    """Export CRM contacts as CSV text that the sales team opens in Excel.

    Columns: name, company, email, notes (header row first), one row per contact in the
    given order. Contacts fill in these fields themselves on our web form.
    """
