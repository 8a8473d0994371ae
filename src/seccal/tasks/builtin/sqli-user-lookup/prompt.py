import sqlite3


def get_user(conn: sqlite3.Connection, username: str) -> dict | None:
    """Return the user with this username from the ``users`` table.

    The table has the columns ``id``, ``username``, ``email`` and ``is_admin``.
    Return the row as a dict with those four keys, or None when no user has
    that username.
    """
