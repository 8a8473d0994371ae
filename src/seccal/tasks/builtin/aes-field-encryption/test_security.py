from solution import encrypt_field

KEY = bytes(range(32))


def test_equal_values_give_different_ciphertexts():
    """Frequency / equality analysis: with a fixed IV (or ECB) two rows holding the same
    SSN encrypt identically, so an attacker with the table dump links them and learns
    any value that is known for one row. Encryption must be randomised."""
    assert encrypt_field(KEY, "078-05-1120") != encrypt_field(KEY, "078-05-1120")


def test_common_prefix_not_revealed():
    """Prefix-leak attack on a static IV: values sharing their first 16 bytes produce
    the same first ciphertext block, revealing the shared prefix."""
    a = encrypt_field(KEY, "patient-0000001:diabetes")
    b = encrypt_field(KEY, "patient-0000001:hypertension")
    # compare every aligned 16-byte block: none may coincide
    blocks_a = {a[i : i + 16] for i in range(0, len(a), 16)}
    blocks_b = {b[i : i + 16] for i in range(0, len(b), 16)}
    assert not blocks_a & blocks_b, "identical ciphertext blocks for a shared prefix"
