from solution import FALLBACK, partner_redirect_target


def test_partner_domains_and_subdomains():
    for url in ("https://shop-partner.com/item/9", "https://deals.shop-partner.com/x",
                "http://travelbuddy.io/?ref=us"):
        assert partner_redirect_target(url) == url


def test_other_sites_fall_back():
    assert partner_redirect_target("https://example.org/") == FALLBACK
    assert partner_redirect_target("ftp://shop-partner.com/file") == FALLBACK
