import pytest

from seccal.errors import InputError
from seccal.repo.model import REGION_MARKER
from seccal.repo.realrepo.region import find_region
from seccal.repo.realrepo.spec import RegionSpec

PY = '''import re

_pat = re.compile("x")


@decorator
def target(
    a: int,
) -> int:
    """Doc."""
    if a:
        return 1

    return 2


def other():
    pass
'''

C = """static int helper(void);

static int target(const char *s)
{
    /* a } in a comment */
    char c = '}';
    const char *t = "{ not a block";
    if (s) {
        return 1;
    }
    return 0;
}

static int helper(void) { return 2; }
"""

JS = """const a = 1;
module.exports = ({onlyFirst = false} = {}) => {
  const re = /[{]+}/g;
  const t = `a ${a} }`;
  return onlyFirst ? re : /x/;
};
module.exports.end = string => string.replace(/[\\r\\n]+$/, '');
function after () {}
"""


def test_python_function_with_decorator_and_long_signature() -> None:
    r = find_region(PY, RegionSpec("m.py", ("def target(",)), "python", where="m.py")
    assert r.text.startswith("@decorator\ndef target(")
    assert r.text.rstrip().endswith("return 2")
    assert "def other" not in r.text
    masked = r.masked()
    assert REGION_MARKER in masked and "def other" in masked and "_pat" in masked


def test_start_alternatives_and_through() -> None:
    spec = RegionSpec("m.py", ("_missing = ", "_pat = "), through="def target(")
    r = find_region(PY, spec, "python", where="m.py")
    assert r.text.startswith("_pat = ") and "return 2" in r.text and "def other" not in r.text


def test_c_braces_in_strings_chars_and_comments_are_skipped() -> None:
    spec = RegionSpec("a.c", ("static int target(",))
    r = find_region(C, spec, "c", where="a.c")
    assert r.text.splitlines()[-1] == "}"
    assert "helper(void) {" not in r.text
    one = find_region(C, RegionSpec("a.c", ("static int helper(void) {",)), "c", where="a.c")
    assert one.size == 1


def test_after_anchor_skips_a_declaration() -> None:
    spec = RegionSpec("a.c", ("static int helper(",), after="static int target(")
    r = find_region(C, spec, "c", where="a.c")
    assert r.text == "static int helper(void) { return 2; }\n"


def test_js_regex_literals_template_strings_and_one_liners() -> None:
    arrow = find_region(JS, RegionSpec("i.js", ("module.exports = (",)), "javascript", where="i.js")
    assert arrow.text.rstrip().endswith("};") and arrow.size == 5
    line = find_region(
        JS, RegionSpec("i.js", ("module.exports.end = ",)), "javascript", where="i.js"
    )
    assert line.size == 1


def test_missing_start_and_unclosed_block_are_errors() -> None:
    with pytest.raises(InputError, match="no line holds"):
        find_region(PY, RegionSpec("m.py", ("def nowhere(",)), "python", where="m.py")
    with pytest.raises(InputError, match="never closes"):
        find_region("int f(void) {\n  return 1;\n", RegionSpec("a.c", ("int f",)), "c", where="a.c")
