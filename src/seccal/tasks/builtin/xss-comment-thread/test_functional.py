from solution import render_comments


def test_comment_with_link_and_line_breaks():
    out = render_comments([
        {"author": "Ann", "website": "https://ann.dev", "text": "Nice post\nThanks"},
        {"author": "Bo", "website": "", "text": "First"},
    ])
    assert out.count('<div class="comment">') == 2
    assert '<a href="https://ann.dev">Ann</a>' in out
    assert "<p>Nice post<br>Thanks</p>" in out
    assert "Bo" in out and "<p>First</p>" in out
    assert out.count("<a ") == 1


def test_no_comments():
    assert '<div class="comment">' not in render_comments([])
