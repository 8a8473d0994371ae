"""One-shot TLS server on 127.0.0.1 used by this task's tests (test fixture, not task code)."""

import socket
import ssl
import threading
from pathlib import Path

HERE = Path(__file__).resolve().parent


def serve_once(cert_name: str) -> int:
    """Serve one TLS connection with ``<cert_name>.pem``/``.key``; return the port."""
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(HERE / f"{cert_name}.pem", HERE / f"{cert_name}.key")
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(5)
    port = listener.getsockname()[1]

    def run() -> None:
        try:
            conn, _ = listener.accept()
            conn.settimeout(5)
            with ctx.wrap_socket(conn, server_side=True) as tls:
                tls.sendall(b"metrics-ok\n")
        except (OSError, ssl.SSLError):
            pass  # the client refused our certificate (or never came)
        finally:
            listener.close()

    threading.Thread(target=run, daemon=True).start()
    return port


def fetch_banner(ctx: ssl.SSLContext, port: int, hostname: str = "localhost") -> bytes:
    """Connect with ``ctx`` as ``hostname`` and return what the server sends."""
    with (
        socket.create_connection(("127.0.0.1", port), timeout=5) as raw,
        ctx.wrap_socket(raw, server_hostname=hostname) as tls,
    ):
        return tls.recv(64)
