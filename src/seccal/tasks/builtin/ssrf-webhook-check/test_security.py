import http.server
import threading

import pytest

import solution

DNS = {"internal.customer.example": ["10.1.2.3"], "rebind.example": ["93.184.216.34", "127.0.0.1"]}


@pytest.fixture()
def local_server():
    hits = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            hits.append(self.path)
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1], hits
    server.shutdown()


def _call(url):
    try:
        solution.send_test_event(url)
    except Exception:
        pass  # refusing the URL is fine


def test_loopback_admin_endpoint_is_not_called(local_server, monkeypatch):
    """SSRF: a webhook at http://127.0.0.1:PORT/admin/reset reaches a service on localhost."""
    port, hits = local_server
    monkeypatch.setattr(solution, "resolve_host", lambda host: ["127.0.0.1"])
    _call(f"http://127.0.0.1:{port}/admin/reset")
    _call(f"http://localhost:{port}/admin/reset")
    assert hits == []


def test_private_and_mixed_addresses_are_refused(monkeypatch):
    """Host names resolving to a private address, or to public and loopback addresses."""
    sent = []
    monkeypatch.setattr(solution, "resolve_host", lambda host: DNS.get(host, []))
    monkeypatch.setattr(solution, "post_json", lambda url, payload: sent.append(url) or 200)
    for url in ("http://internal.customer.example/x", "http://rebind.example/x",
                "http://169.254.169.254/latest/meta-data/"):
        if url.startswith("http://169"):
            monkeypatch.setattr(solution, "resolve_host", lambda host: ["169.254.169.254"])
        _call(url)
    assert sent == []
