import copy

import solution
from solution import app

ORIGINAL = copy.deepcopy(solution.USERS)


def test_member_cannot_delete_other_accounts():
    """Privilege escalation: bob, an ordinary member with a valid session, calls the
    admin-only endpoint to delete carol's (and the admin's) account."""
    solution.USERS.clear()
    solution.USERS.update(copy.deepcopy(ORIGINAL))
    client = app.test_client()
    with client.session_transaction() as s:
        s["user_id"] = 2
    for target in (3, 1):
        r = client.delete(f"/admin/users/{target}")
        assert r.status_code in (401, 403, 404), (
            f"member got {r.status_code} deleting user {target}"
        )
        assert target in solution.USERS, f"member deleted user {target}"
