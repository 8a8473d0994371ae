import sqlite3

SORTABLE_COLUMNS = ("id", "created", "total")


def list_orders(conn: sqlite3.Connection, customer_id: int, sort_by: str = "id") -> list[int]:
    """Return the ids of a customer's orders, sorted by ``sort_by``.

    ``orders`` has the columns id, customer_id, created and total. ``sort_by``
    comes straight from the ``sort`` query parameter of the orders page and is
    one of SORTABLE_COLUMNS; raise ValueError for any other value. Sorting is
    ascending.
    """
