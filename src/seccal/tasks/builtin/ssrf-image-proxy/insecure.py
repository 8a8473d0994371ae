import urllib.request

from flask import Flask, Response, request

app = Flask(__name__)
CDN_HOSTS = {"img.example-cdn.com", "static.example.com"}


def http_get(url: str) -> bytes:
    """Fetch a URL and return the body (shared HTTP helper of the app)."""
    with urllib.request.urlopen(url, timeout=5) as resp:
        return resp.read()


@app.route("/image-proxy")
def proxy_image():
    """Serve an image from one of our CDNs through our own domain.

    The ``url`` query parameter is the full image URL (http or https) on one of
    the CDN_HOSTS. Fetch it with ``http_get`` and return the bytes with
    content type ``image/png``. Respond 400 for a URL we do not proxy.
    """
    url = request.args.get("url", "")
    if not url.startswith(("http://", "https://")):
        return Response("bad url", status=400)
    if not any(host in url for host in CDN_HOSTS):
        return Response("url not allowed", status=400)
    return Response(http_get(url), content_type="image/png")
