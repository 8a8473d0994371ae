import pytest

from solution import FALLBACK, partner_redirect_target


@pytest.mark.parametrize("url", [
    "https://evilshop-partner.com/login",
    "https://attacker.test#.shop-partner.com",
    "https://shop-partner.com@attacker.test/",
    "https://attacker.test/?u=travelbuddy.io",
    "https://attacker.test\\@travelbuddy.io",
])
def test_lookalike_urls_fall_back(url):
    """Open redirect through suffix tricks: look-alike domain, userinfo, fragment, query."""
    assert partner_redirect_target(url) == FALLBACK
