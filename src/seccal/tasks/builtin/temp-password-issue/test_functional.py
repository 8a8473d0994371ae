import string

from solution import ACCOUNTS, app


def test_issue_password():
    client = app.test_client()
    r = client.post("/helpdesk/accounts/jdoe/temp-password")
    assert r.status_code == 200
    pw = r.get_json()["temp_password"]
    assert len(pw) == 12
    assert set(pw) <= set(string.ascii_letters + string.digits)
    assert ACCOUNTS["jdoe"]["temp_password"] == pw


def test_new_password_each_time_and_unknown_user():
    client = app.test_client()
    a = client.post("/helpdesk/accounts/asmith/temp-password").get_json()["temp_password"]
    b = client.post("/helpdesk/accounts/asmith/temp-password").get_json()["temp_password"]
    assert a != b
    assert client.post("/helpdesk/accounts/ghost/temp-password").status_code == 404
