from solution import render_profile_card


def test_bio_script_is_escaped():
    """Stored XSS: a profile bio with a <script> tag rendered on the public page."""
    html = render_profile_card({"display_name": "x", "bio": "<script>alert(1)</script>", "location": ""})
    assert "<script>" not in html


def test_name_cannot_inject_markup():
    """Stored XSS in the display name via an event-handler attribute."""
    html = render_profile_card({"display_name": '<img src=x onerror="alert(1)">', "bio": "", "location": ""})
    assert "<img" not in html
