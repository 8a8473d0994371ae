PARTNER_DOMAINS = ("shop-partner.com", "travelbuddy.io")
FALLBACK = "https://www.example.com/partners"


def partner_redirect_target(url: str) -> str:
    """Decide where our ``/out?url=...`` link tracker sends the visitor.

    Return ``url`` unchanged when it is an http(s) URL on one of the partner
    domains or any of their subdomains (``https://deals.shop-partner.com/x``);
    otherwise return FALLBACK.
    """
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        return FALLBACK
    if any(parts.netloc.endswith(domain) for domain in PARTNER_DOMAINS):
        return url
    return FALLBACK
