import ssl
from pathlib import Path

import pytest

from solution import make_internal_tls_context
from tls_test_server import fetch_banner, serve_once

CA = str(Path(__file__).resolve().parent / "company_ca.pem")


def test_rejects_impostor_certificate():
    """Man-in-the-middle with a self-made CA: the attacker's server presents a
    certificate for localhost issued by a look-alike CA (same name, different key).
    The handshake must fail instead of sending data to the impostor."""
    port = serve_once("rogue_server")
    with pytest.raises((ssl.SSLError, OSError)):
        fetch_banner(make_internal_tls_context(CA), port)


def test_rejects_certificate_for_another_host():
    """Hostname-confusion MITM: a genuine company-CA certificate issued for
    billing.internal is replayed by a host we reached as localhost; hostname
    checking must reject it."""
    port = serve_once("other_host_server")
    with pytest.raises((ssl.SSLError, OSError)):
        fetch_banner(make_internal_tls_context(CA), port)
