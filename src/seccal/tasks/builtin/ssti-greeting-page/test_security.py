from solution import app


def _card(**params):
    return app.test_client().get("/card", query_string=params)


def test_name_is_not_evaluated_as_template():
    """Server-side template injection: `{{ 7*7 }}` in the name is evaluated by Jinja2."""
    body = _card(occasion="birthday", name="{{ 7*7 }}").get_data(as_text=True)
    assert "49" not in body


def test_name_cannot_read_the_secret_key():
    """SSTI reading the Flask config: `{{ config.SECRET_KEY }}` leaks the signing key."""
    body = _card(occasion="wedding", name="{{ config.SECRET_KEY }}").get_data(as_text=True)
    assert "change-me-in-production" not in body


def test_name_cannot_run_code(tmp_path):
    """SSTI to code execution through the template globals (`cycler.__init__.__globals__.os`)."""
    marker = tmp_path / "pwned"
    payload = "{{ cycler.__init__.__globals__.os.system('touch " + str(marker) + "') }}"
    _card(occasion="birthday", name=payload)
    assert not marker.exists()
