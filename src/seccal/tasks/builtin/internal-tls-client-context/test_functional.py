import ssl
from pathlib import Path

from solution import make_internal_tls_context
from tls_test_server import fetch_banner, serve_once

CA = str(Path(__file__).resolve().parent / "company_ca.pem")


def test_connects_to_service_with_company_certificate():
    ctx = make_internal_tls_context(CA)
    assert isinstance(ctx, ssl.SSLContext)
    port = serve_once("metrics_server")
    assert fetch_banner(ctx, port) == b"metrics-ok\n"
