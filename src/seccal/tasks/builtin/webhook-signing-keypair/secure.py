from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa


def generate_signing_keypair() -> tuple[bytes, bytes]:
    """Generate the RSA key pair we use to sign outgoing webhooks.

    Return (private_key_pem, public_key_pem): the private key as unencrypted PKCS#8
    PEM, the public key as SubjectPublicKeyInfo PEM, which we publish for customers to
    verify signatures.
    """
    key = rsa.generate_private_key(public_exponent=65537, key_size=3072)
    private_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    public_pem = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return private_pem, public_pem
