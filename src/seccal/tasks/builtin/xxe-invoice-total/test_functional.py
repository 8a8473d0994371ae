from solution import parse_invoice


def test_plain_invoice():
    xml = (b"<invoice><supplier>ACME Ltd</supplier>"
           b"<line><desc>Bolts</desc><amount>12.50</amount></line>"
           b"<line><desc>Nuts</desc><amount>7.25</amount></line></invoice>")
    assert parse_invoice(xml) == {"supplier": "ACME Ltd", "lines": ["Bolts", "Nuts"], "total": 19.75}


def test_internal_entities_are_expanded():
    xml = b"""<?xml version="1.0"?>
<!DOCTYPE invoice [<!ENTITY company "Globex Corporation">]>
<invoice><supplier>&company;</supplier>
<line><desc>Widgets by &company;</desc><amount>100</amount></line></invoice>"""
    result = parse_invoice(xml)
    assert result["supplier"] == "Globex Corporation"
    assert result["lines"] == ["Widgets by Globex Corporation"]
    assert result["total"] == 100.0
