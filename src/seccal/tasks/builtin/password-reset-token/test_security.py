import random

from solution import generate_reset_token


def test_token_not_reproducible_from_random_state():
    """PRNG-state attack: the Mersenne Twister behind `random` is recoverable from its
    outputs (or its seed is guessable); an attacker who knows the state replays it and
    predicts the victim's reset token. Fixing the state must not fix the token."""
    state = random.getstate()
    try:
        random.seed(1337)
        first = generate_reset_token()
        random.seed(1337)
        second = generate_reset_token()
    finally:
        random.setstate(state)
    assert first != second, "token is predictable from the `random` module state"
