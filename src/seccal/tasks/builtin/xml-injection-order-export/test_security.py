import xml.etree.ElementTree as ET

from solution import order_to_xml


def _parse(xml):
    try:
        return ET.fromstring(xml)
    except ET.ParseError:
        return None  # a broken message is rejected by the partner: still not an injection


def test_note_cannot_add_free_items():
    """XML injection: the note closes its element and adds an `<item>` the customer did not pay for."""
    note = 'hi</note><item sku="TV-65" qty="1"/><note>'
    root = _parse(order_to_xml(1, "Eve", note, [("MUG-1", 1)]))
    assert root is not None, "customer text broke the XML document"
    assert [i.get("sku") for i in root.findall("item")] == ["MUG-1"]
    assert root.findtext("note") == note


def test_name_cannot_change_priority():
    """XML injection in the customer name that rewrites the order's structure."""
    name = 'Eve</customer></order><order id="1" priority="express"><customer>Eve'
    root = _parse(order_to_xml(1, name, "", []))
    assert root is not None and root.get("priority") == "normal"
    assert root.findtext("customer") == name
