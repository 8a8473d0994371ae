import ssl


def make_internal_tls_context(ca_file: str) -> ssl.SSLContext:
    """Return an SSLContext for client connections to our internal metrics service.

    The service's certificate is issued by our company CA (PEM at `ca_file`), not by a
    public CA, so connections with the default context fail with
    CERTIFICATE_VERIFY_FAILED. Callers wrap plain sockets with the returned context.
    """
    ctx = ssl.create_default_context()
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    return ctx
