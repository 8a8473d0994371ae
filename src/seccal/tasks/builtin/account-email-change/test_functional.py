import re

from solution import EMAILS, app


def _logged_in(user_id):
    client = app.test_client()
    with client.session_transaction() as s:
        s["user_id"] = user_id
    return client


def _form_fields(html: str) -> dict[str, str]:
    # submit the form the way a browser would: every hidden input travels along
    fields = {}
    for tag in re.findall(r"<input[^>]*>", html, flags=re.I):
        name = re.search(r'name\s*=\s*["\']([^"\']+)', tag)
        value = re.search(r'value\s*=\s*["\']([^"\']*)', tag)
        if name:
            fields[name.group(1)] = value.group(1) if value else ""
    return fields


def test_get_shows_form_with_current_address():
    html = _logged_in("u1").get("/account/email").get_data(as_text=True)
    assert "<form" in html.lower()
    assert "pat@example.com" in html
    assert "email" in _form_fields(html)


def test_submit_form_changes_address():
    client = _logged_in("u2")
    fields = _form_fields(client.get("/account/email").get_data(as_text=True))
    fields["email"] = "sam.new@example.com"
    r = client.post("/account/email", data=fields)
    assert r.status_code in (302, 303)
    assert EMAILS["u2"] == "sam.new@example.com"


def test_anonymous_rejected():
    assert app.test_client().get("/account/email").status_code == 401
