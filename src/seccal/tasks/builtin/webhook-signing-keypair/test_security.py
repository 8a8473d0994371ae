from cryptography.hazmat.primitives import serialization

from solution import generate_signing_keypair


def test_modulus_large_enough_to_resist_factoring():
    """Key-size attack: RSA moduli of 1024 bits and below are within reach of
    well-funded factoring (768-bit was factored publicly in 2009); whoever factors the
    published public key forges webhooks. NIST SP 800-57 requires at least 2048 bits."""
    _, public_pem = generate_signing_keypair()
    public = serialization.load_pem_public_key(public_pem)
    assert public.key_size >= 2048, f"RSA modulus is only {public.key_size} bits"
    assert public.public_numbers().e >= 65537, "small public exponent"
