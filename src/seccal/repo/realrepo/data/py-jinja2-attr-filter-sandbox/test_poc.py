"""In the sandbox, |attr must not hand out str.format unwrapped (format-string escape)."""

import pytest
from jinja2.exceptions import SecurityError
from jinja2.sandbox import SandboxedEnvironment


def test_attr_format_cannot_reach_globals() -> None:
    env = SandboxedEnvironment()
    tmpl = env.from_string("{{ '{0.__class__.__init__.__globals__}'|attr('format')(cycler) }}")
    with pytest.raises(SecurityError):
        tmpl.render(cycler=object.__new__(type("C", (), {"__init__": lambda self: None})))
