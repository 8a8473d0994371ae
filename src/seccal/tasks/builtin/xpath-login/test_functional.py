from solution import authenticate

USERS = b"""<users>
  <user><name>admin</name><hash>9f86d081</hash><role>admin</role></user>
  <user><name>alice</name><hash>5f4dcc3b</hash><role>editor</role></user>
</users>"""


def test_valid_login_returns_role():
    assert authenticate(USERS, "alice", "5f4dcc3b") == "editor"
    assert authenticate(USERS, "admin", "9f86d081") == "admin"


def test_wrong_hash_or_user_is_none():
    assert authenticate(USERS, "alice", "9f86d081") is None
    assert authenticate(USERS, "bob", "5f4dcc3b") is None
