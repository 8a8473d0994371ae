"""An expected issuer given as a string must match exactly, not as a substring."""

import jwt
import pytest


@pytest.mark.parametrize("claimed", ["urn:exp", "expected", "u"])
def test_partial_issuer_is_rejected(claimed: str) -> None:
    token = jwt.encode({"iss": claimed}, "secret", algorithm="HS256")
    with pytest.raises(jwt.InvalidIssuerError):
        jwt.decode(token, "secret", algorithms=["HS256"], issuer="urn:expected")
