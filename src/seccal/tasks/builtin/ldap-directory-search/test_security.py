import pytest
from ldap3 import MOCK_SYNC, OFFLINE_SLAPD_2_4, Connection, Server
from ldap3.core.exceptions import LDAPException

from solution import find_emails


@pytest.fixture()
def conn():
    server = Server("directory", get_info=OFFLINE_SLAPD_2_4)
    conn = Connection(server, user="cn=admin,dc=example,dc=com", password="pw",
                      client_strategy=MOCK_SYNC)
    conn.strategy.add_entry("cn=admin,dc=example,dc=com", {"userPassword": "pw", "sn": "admin"})
    for uid in ("alice", "bob", "ceo"):
        conn.strategy.add_entry(
            f"uid={uid},ou=people,dc=example,dc=com",
            {"uid": uid, "mail": f"{uid}@example.com", "objectClass": "person", "sn": uid},
        )
    conn.bind()
    return conn


def _search(conn, name):
    try:
        return find_emails(conn, name)
    except (LDAPException, ValueError):
        return []


def test_wildcard_does_not_dump_directory(conn):
    """Username `*` turns the equality match into a presence match and lists everyone."""
    assert _search(conn, "*") == []


def test_partial_wildcard_does_not_enumerate(conn):
    """Username `c*` enumerates accounts by prefix (finds the hidden `ceo` entry)."""
    assert "ceo@example.com" not in _search(conn, "c*")
