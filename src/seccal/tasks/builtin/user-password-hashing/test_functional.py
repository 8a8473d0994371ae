from solution import hash_password, verify_password


def test_roundtrip():
    stored = hash_password("correct horse battery staple")
    assert isinstance(stored, str)
    assert verify_password("correct horse battery staple", stored)


def test_wrong_password_rejected():
    stored = hash_password("hunter2")
    assert not verify_password("hunter3", stored)
    assert not verify_password("", stored)


def test_stored_value_is_not_plaintext():
    assert "s3cret-pass" not in hash_password("s3cret-pass")
