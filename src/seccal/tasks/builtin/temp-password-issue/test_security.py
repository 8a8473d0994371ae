import random

from solution import app


def test_temp_password_not_predictable_from_prng_state():
    """State-replay attack on `random`: an attacker who learns the Mersenne Twister
    state (624 observed outputs, or a guessed seed) replays it to predict the next
    temporary password. Reseeding identically must not reproduce the password."""
    client = app.test_client()
    saved = random.getstate()
    try:
        random.seed(2024)
        first = client.post("/helpdesk/accounts/jdoe/temp-password").get_json()["temp_password"]
        random.seed(2024)
        second = client.post("/helpdesk/accounts/jdoe/temp-password").get_json()["temp_password"]
    finally:
        random.setstate(saved)
    assert first != second, "temporary password predictable from the `random` state"
