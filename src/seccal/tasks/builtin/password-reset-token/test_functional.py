import string

from solution import generate_reset_token


def test_length_and_alphabet():
    allowed = set(string.ascii_letters + string.digits)
    for n in (32, 16, 64):
        tok = generate_reset_token(n)
        assert len(tok) == n
        assert set(tok) <= allowed


def test_default_length_and_uniqueness():
    tokens = {generate_reset_token() for _ in range(200)}
    assert len(tokens) == 200
    assert all(len(t) == 32 for t in tokens)
