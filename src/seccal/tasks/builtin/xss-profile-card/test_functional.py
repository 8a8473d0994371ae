from solution import render_profile_card


def test_renders_fields():
    html = render_profile_card({"display_name": "Ada L.", "bio": "Engines", "location": "London"})
    assert "<h2>Ada L.</h2>" in html
    assert '<p class="bio">Engines</p>' in html
    assert '<span class="location">London</span>' in html
