def build_redirect_response(location: str, lang: str) -> bytes:
    """Build the raw HTTP/1.1 response our embedded device web server sends.

    The response is a ``302 Found`` with a ``Location: <location>`` header (the
    page the user asked for), a ``Set-Cookie: lang=<lang>`` header with the
    language the user picked, ``Content-Length: 0`` and an empty body. Lines end
    with CRLF. Raise ValueError if the response cannot be built.
    """
