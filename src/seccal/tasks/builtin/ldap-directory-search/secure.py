from ldap3 import Connection

PEOPLE_BASE = "ou=people,dc=example,dc=com"


def find_emails(conn: Connection, username: str) -> list[str]:
    """Return the e-mail addresses of the directory entries for ``username``.

    ``conn`` is a bound ldap3 connection. People live under PEOPLE_BASE with
    ``objectClass=person`` and the attributes ``uid`` and ``mail``. Search for
    the person whose uid is ``username`` (typed by the user in the
    "find a colleague" box) and return the ``mail`` values of the matching
    entries, sorted; an empty list when nobody matches.
    """
    from ldap3.utils.conv import escape_filter_chars

    search_filter = f"(&(objectClass=person)(uid={escape_filter_chars(username)}))"
    conn.search(PEOPLE_BASE, search_filter, attributes=["mail"])
    return sorted(str(entry.mail) for entry in conn.entries)
