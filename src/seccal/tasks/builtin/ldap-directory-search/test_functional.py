import pytest
from ldap3 import MOCK_SYNC, OFFLINE_SLAPD_2_4, Connection, Server

from solution import find_emails


@pytest.fixture()
def conn():
    server = Server("directory", get_info=OFFLINE_SLAPD_2_4)
    conn = Connection(server, user="cn=admin,dc=example,dc=com", password="pw",
                      client_strategy=MOCK_SYNC)
    conn.strategy.add_entry("cn=admin,dc=example,dc=com", {"userPassword": "pw", "sn": "admin"})
    for uid in ("alice", "bob", "carol"):
        conn.strategy.add_entry(
            f"uid={uid},ou=people,dc=example,dc=com",
            {"uid": uid, "mail": f"{uid}@example.com", "objectClass": "person", "sn": uid},
        )
    conn.bind()
    return conn


def test_finds_one_person(conn):
    assert find_emails(conn, "bob") == ["bob@example.com"]


def test_unknown_person_is_empty(conn):
    assert find_emails(conn, "mallory") == []
