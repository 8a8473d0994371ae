from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from solution import generate_signing_keypair


def test_keys_sign_and_verify():
    private_pem, public_pem = generate_signing_keypair()
    assert private_pem.startswith(b"-----BEGIN PRIVATE KEY-----")
    assert public_pem.startswith(b"-----BEGIN PUBLIC KEY-----")
    private = serialization.load_pem_private_key(private_pem, password=None)
    public = serialization.load_pem_public_key(public_pem)
    assert isinstance(private, rsa.RSAPrivateKey)
    body = b'{"event": "order.paid", "id": 42}'
    sig = private.sign(body, padding.PKCS1v15(), hashes.SHA256())
    public.verify(sig, body, padding.PKCS1v15(), hashes.SHA256())
