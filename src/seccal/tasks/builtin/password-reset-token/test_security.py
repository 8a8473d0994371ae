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


def test_token_not_derived_from_any_mersenne_twister(monkeypatch):
    """State-recovery attack on a private random.Random(): 624 observed outputs give
    the attacker its full state. Simulate a known state by pinning every Mersenne
    Twister (random.Random and its instances, not SystemRandom) to fixed output; a
    token that still varies comes from the OS CSPRNG."""
    monkeypatch.setattr(random.Random, "getrandbits", lambda self, k: 0)
    monkeypatch.setattr(random.Random, "random", lambda self: 0.0)
    assert generate_reset_token() != generate_reset_token(), "token comes from a Mersenne Twister"
