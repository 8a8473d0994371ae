import random
import secrets
import string


def generate_reset_token(length: int = 32) -> str:
    """Return a new random token for a password-reset link.

    The token is `length` characters drawn from ASCII letters and digits, so it can be
    pasted into a URL as is. A new token is generated for every reset request.
    """
