import email

from solution import build_contact_email


def test_message_headers_and_body():
    raw = build_contact_email("Ann", "ann@mail.test", "Broken link", "Hi,\nthe link is broken.")
    msg = email.message_from_string(raw)
    assert msg["From"] == "noreply@example.com" and msg["To"] == "support@example.com"
    assert msg["Reply-To"] == "ann@mail.test"
    assert msg["Subject"] == "[Contact] Broken link"
    assert msg["X-Sender-Name"] == "Ann"
    assert msg.get_payload().replace("\r\n", "\n") == "Hi,\nthe link is broken."
    assert "\r\n\r\n" in raw
