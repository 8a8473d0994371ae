from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa


def generate_signing_keypair() -> tuple[bytes, bytes]:
    """Generate the RSA key pair we use to sign outgoing webhooks.

    Return (private_key_pem, public_key_pem): the private key as unencrypted PKCS#8
    PEM, the public key as SubjectPublicKeyInfo PEM, which we publish for customers to
    verify signatures.
    """
