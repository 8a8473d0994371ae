"""Keys with '/', '>' or '=' must not break out of the attribute name into new markup."""

import re

import pytest
from jinja2 import Environment


@pytest.mark.parametrize("key", ["a/onclick=alert(1)", "x>ok<img src=y onerror=alert(1)", "c=d onfocus=alert(1)"])
def test_key_cannot_start_a_new_attribute_or_tag(key: str) -> None:
    env = Environment(autoescape=True)
    try:
        out = env.from_string("<div{{ a|xmlattr }}>").render(a={key: "v"})
    except ValueError:
        return
    assert not re.search(r"(on\w+\s*=|<img)", out), out
