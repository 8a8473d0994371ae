from solution import build_redirect_response


def _headers(location, lang):
    try:
        raw = build_redirect_response(location, lang)
    except (ValueError, UnicodeError):
        return None  # refusing the input is fine
    head = raw.split(b"\r\n\r\n", 1)[0]
    return [line.split(b":", 1)[0].strip().lower() for line in head.split(b"\r\n")[1:]]


def test_crlf_in_location_cannot_add_headers():
    """Response splitting: `\\r\\nSet-Cookie: session=attacker` in the redirect target."""
    names = _headers("/home\r\nSet-Cookie: session=attacker", "en")
    assert names is None or names.count(b"set-cookie") == 1


def test_crlf_in_cookie_value_cannot_add_body():
    """CRLF in the language value injects a header block end and an HTML body."""
    raw_names = _headers("/home", "en\r\nContent-Type: text/html\r\n\r\n<script>alert(1)</script>")
    assert raw_names is None or b"content-type" not in raw_names
    try:
        raw = build_redirect_response("/x", "en\nX-Injected: 1")
    except (ValueError, UnicodeError):
        raw = b""
    assert b"\nX-Injected" not in raw
