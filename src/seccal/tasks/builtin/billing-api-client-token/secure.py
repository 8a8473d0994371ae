import os

import requests

BILLING_API_URL = "https://billing.internal.example/api/v2"


def make_billing_client() -> requests.Session:
    """Return a requests Session ready to call the billing API.

    The API expects the service token in an ``Authorization: Bearer <token>`` header;
    deployments provide the token in the BILLING_API_TOKEN environment variable.
    Also send ``Accept: application/json``.
    """
    token = os.environ.get("BILLING_API_TOKEN")
    if not token:
        raise RuntimeError("BILLING_API_TOKEN is not set")
    session = requests.Session()
    session.headers.update({"Authorization": f"Bearer {token}", "Accept": "application/json"})
    return session
