from solution import build_redirect_response


def test_builds_redirect():
    raw = build_redirect_response("/dashboard?tab=2", "de")
    assert raw == (b"HTTP/1.1 302 Found\r\nLocation: /dashboard?tab=2\r\n"
                   b"Set-Cookie: lang=de\r\nContent-Length: 0\r\n\r\n")


def test_response_parses_as_http():
    import email.parser

    raw = build_redirect_response("/home", "en")
    head, _, body = raw.partition(b"\r\n\r\n")
    status, _, header_block = head.partition(b"\r\n")
    headers = email.parser.BytesHeaderParser().parsebytes(header_block + b"\r\n\r\n")
    assert status == b"HTTP/1.1 302 Found" and headers["Location"] == "/home" and body == b""
