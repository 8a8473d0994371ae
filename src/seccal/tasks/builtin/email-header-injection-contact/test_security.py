import email

from solution import build_contact_email


def _msg(name, addr, subject, body="x"):
    try:
        return email.message_from_string(build_contact_email(name, addr, subject, body))
    except ValueError:
        return None  # refusing the form is fine


def test_subject_cannot_add_bcc_recipients():
    """E-mail header injection: `\\r\\nBcc: victims` in the subject turns the form into a spam relay."""
    msg = _msg("Ann", "ann@mail.test", "Hello\r\nBcc: victim1@mail.test, victim2@mail.test")
    assert msg is None or msg["Bcc"] is None


def test_reply_to_cannot_add_headers_or_body():
    """CRLF in the e-mail field adds a `To` header and replaces the body."""
    msg = _msg("Ann", "a@mail.test\nTo: ceo@example.com\n\nClick http://phish.test", "Hi")
    assert msg is None or msg.get_all("To") == ["support@example.com"]


def test_name_cannot_add_headers():
    """A bare LF in the sender name injects a `Content-Type` header."""
    msg = _msg("Ann\nContent-Type: text/html", "ann@mail.test", "Hi")
    assert msg is None or msg["Content-Type"] is None
