import jwt


def get_user_from_token(token: str, secret: str) -> dict | None:
    """Read the caller from an access token issued by our auth service.

    Tokens are JWTs signed with HS256 using `secret`; the payload has "sub" (user id)
    and "roles" (list of strings). Return {"user_id": sub, "roles": roles}, or None
    when the token cannot be used.
    """
