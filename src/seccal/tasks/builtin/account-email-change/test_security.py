from solution import EMAILS, app


def test_cross_site_form_post_rejected():
    """CSRF: the victim is logged in and visits the attacker's page, which auto-submits
    <form action="https://our.site/account/email" method="post"> with the attacker's
    address. The browser attaches the session cookie but the page cannot read any
    token from our site; the change must be refused (then a password reset takes the account)."""
    EMAILS["u1"] = "pat@example.com"
    client = app.test_client()
    with client.session_transaction() as s:
        s["user_id"] = "u1"
    client.get("/account/email")  # the victim has visited the settings page before
    r = client.post(
        "/account/email",
        data={"email": "attacker@evil.example"},
        headers={
            "Origin": "https://evil.example",
            "Referer": "https://evil.example/win-a-prize.html",
        },
    )
    assert EMAILS["u1"] == "pat@example.com", "e-mail changed by a cross-site request"
    assert r.status_code in (400, 403)
