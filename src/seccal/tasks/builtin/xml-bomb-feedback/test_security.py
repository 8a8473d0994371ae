import threading

from solution import parse_feedback


def _parse_with_deadline(xml, seconds=5.0):
    result = {}

    def work():
        try:
            result["value"] = parse_feedback(xml)
        except Exception as exc:  # refusing the document is fine
            result["error"] = exc

    t = threading.Thread(target=work, daemon=True)
    t.start()
    t.join(seconds)
    assert not t.is_alive(), "parser still running: entity expansion DoS"
    return result


def test_nested_entity_expansion_is_refused():
    """Billion-laughs style bomb: 5 levels of 10x nested entities (100,000 copies)."""
    levels = ['<!ENTITY a0 "lol lol lol lol lol lol lol lol lol lol ">']
    for i in range(1, 6):
        levels.append(f'<!ENTITY a{i} "' + f"&a{i - 1};" * 10 + '">')
    xml = ("<?xml version='1.0'?><!DOCTYPE feedback [" + "".join(levels) + "]>"
           "<feedback><name>x</name><comment>&a5;</comment></feedback>")
    result = _parse_with_deadline(xml)
    comment = result.get("value", {}).get("comment", "")
    assert len(comment) < 10_000, f"entities expanded to {len(comment)} characters"


def test_quadratic_blowup_is_refused():
    """Quadratic blowup: one 2 KB entity referenced 2,000 times (4 MB of text)."""
    xml = ("<?xml version='1.0'?><!DOCTYPE feedback [<!ENTITY big \"" + "A" * 2000 + "\">]>"
           "<feedback><comment>" + "&big;" * 2000 + "</comment></feedback>")
    result = _parse_with_deadline(xml)
    comment = result.get("value", {}).get("comment", "")
    assert len(comment) < 10_000, f"entities expanded to {len(comment)} characters"
