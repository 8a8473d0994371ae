import random

from solution import app


def _issue() -> str:
    r = app.test_client().post("/helpdesk/accounts/jdoe/temp-password")
    return r.get_json()["temp_password"]


def test_temp_password_not_predictable_from_prng_state():
    """State-replay attack on `random`: an attacker who learns the Mersenne Twister
    state (624 observed outputs, or a guessed seed) replays it to predict the next
    temporary password. Reseeding identically must not reproduce the password."""
    saved = random.getstate()
    try:
        random.seed(2024)
        first = _issue()
        random.seed(2024)
        second = _issue()
    finally:
        random.setstate(saved)
    assert first != second, "temporary password predictable from the `random` state"


def test_temp_password_not_from_private_mersenne_twister(monkeypatch):
    """State recovery on a module-level random.Random(): pin every Mersenne Twister
    (not SystemRandom, which reads the OS) to a known state; passwords that still
    differ come from a CSPRNG."""
    monkeypatch.setattr(random.Random, "getrandbits", lambda self, k: 0)
    monkeypatch.setattr(random.Random, "random", lambda self: 0.0)
    assert _issue() != _issue(), "temporary password comes from a Mersenne Twister"
