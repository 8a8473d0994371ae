from lxml import etree

from solution import authenticate

USERS = b"""<users>
  <user><name>admin</name><hash>9f86d081</hash><role>admin</role></user>
  <user><name>alice</name><hash>5f4dcc3b</hash><role>editor</role></user>
</users>"""


def _login(name, pw):
    try:
        return authenticate(USERS, name, pw)
    except (etree.XPathError, ValueError):
        return None


def test_or_true_bypasses_password():
    """Password `' or '1'='1` makes the predicate true for every user (logs in as admin)."""
    assert _login("admin", "x' or '1'='1") is None


def test_username_injection_comments_out_hash_check():
    """Username `admin' or 'a'='a` with any password returns the admin role."""
    assert _login("admin' or 'a'='a", "wrong") is None
