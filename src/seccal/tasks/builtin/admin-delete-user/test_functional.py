import copy

import pytest

import solution
from solution import app

ORIGINAL = copy.deepcopy(solution.USERS)


@pytest.fixture(autouse=True)
def fresh_users():
    solution.USERS.clear()
    solution.USERS.update(copy.deepcopy(ORIGINAL))


def _client_as(user_id):
    client = app.test_client()
    if user_id is not None:
        with client.session_transaction() as s:
            s["user_id"] = user_id
    return client


def test_admin_deletes_user():
    r = _client_as(1).delete("/admin/users/3")
    assert r.status_code == 204
    assert 3 not in solution.USERS


def test_unknown_user_and_anonymous():
    assert _client_as(1).delete("/admin/users/99").status_code == 404
    assert _client_as(None).delete("/admin/users/2").status_code == 401
    assert 2 in solution.USERS
