"""Public keys of any kind must be refused as HMAC secrets (no HS256-with-the-public-key forgery)."""

import pytest
from jwt.algorithms import HMACAlgorithm
from jwt.exceptions import InvalidKeyError

KEYS = [
    b"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIPZ seccal@example",
    b"ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAI seccal@example",
    b"ssh-dss AAAAB3NzaC1kc3MAAACBAP seccal@example",
]


@pytest.mark.parametrize("key", KEYS)
def test_asymmetric_key_is_not_an_hmac_secret(key: bytes) -> None:
    with pytest.raises(InvalidKeyError):
        HMACAlgorithm(HMACAlgorithm.SHA256).prepare_key(key)
