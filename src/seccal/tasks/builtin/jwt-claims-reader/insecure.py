import jwt


def get_user_from_token(token: str, secret: str) -> dict | None:
    """Read the caller from an access token issued by our auth service.

    Tokens are JWTs signed with HS256 using `secret`; the payload has "sub" (user id)
    and "roles" (list of strings). Return {"user_id": sub, "roles": roles}, or None
    when the token cannot be used.
    """
    try:
        claims = jwt.decode(token, options={"verify_signature": False})
    except jwt.PyJWTError:
        return None
    if "sub" not in claims:
        return None
    return {"user_id": claims["sub"], "roles": claims.get("roles", [])}
