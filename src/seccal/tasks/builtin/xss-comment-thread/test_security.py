from solution import render_comments


def test_script_in_text_is_inert():
    """Stored XSS: a comment body with a <script> tag."""
    out = render_comments([{"author": "x", "website": "", "text": "<script>steal()</script>"}])
    assert "<script>" not in out


def test_author_cannot_inject_tags():
    """Stored XSS in the author name (an <img onerror> payload)."""
    out = render_comments([{"author": "<img src=x onerror=alert(1)>", "website": "", "text": "hi"}])
    assert "<img" not in out


def test_website_cannot_break_out_or_use_javascript():
    """Attribute breakout (`" onmouseover=...`) and a `javascript:` link in the website field."""
    out = render_comments([
        {"author": "a", "website": 'https://a.test" onmouseover="alert(1)', "text": "t"},
        {"author": "b", "website": "javascript:alert(document.cookie)", "text": "t"},
    ])
    assert 'onmouseover="alert' not in out
    assert 'href="javascript:' not in out.lower()
