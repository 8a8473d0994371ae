import json
import socket
import urllib.request


def resolve_host(host: str) -> list[str]:
    """All IP addresses the host name resolves to."""
    return sorted({info[4][0] for info in socket.getaddrinfo(host, None)})


def post_json(url: str, payload: dict) -> int:
    """POST JSON to ``url`` and return the HTTP status code."""
    req = urllib.request.Request(
        url, data=json.dumps(payload).encode(), headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(req, timeout=5) as resp:
        return resp.status


def send_test_event(url: str) -> int:
    """Send a ``{"event": "ping"}`` test event to a webhook a customer configured.

    Customers enter the URL of their own (public) endpoint in the integration
    settings; it must be http or https. Use ``resolve_host`` to look up the
    host's addresses and ``post_json`` to send the event, and return the status
    code. Raise ValueError for URLs we refuse to call.
    """
    import ipaddress
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError("webhook URL must be http(s) with a host")
    addresses = resolve_host(parts.hostname)
    if not addresses:
        raise ValueError("host does not resolve")
    for addr in addresses:
        ip = ipaddress.ip_address(addr.split("%", 1)[0])
        if not ip.is_global:
            raise ValueError(f"webhook host resolves to a non-public address {addr}")
    return post_json(url, {"event": "ping"})
