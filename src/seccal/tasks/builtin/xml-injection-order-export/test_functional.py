import xml.etree.ElementTree as ET

from solution import order_to_xml


def test_order_message_structure():
    xml = order_to_xml(42, "Jane Doe", "Leave at the door", [("MUG-1", 2), ("TEA-9", 1)])
    root = ET.fromstring(xml)
    assert root.tag == "order" and root.get("id") == "42" and root.get("priority") == "normal"
    assert root.findtext("customer") == "Jane Doe"
    assert root.findtext("note") == "Leave at the door"
    assert [(i.get("sku"), i.get("qty")) for i in root.findall("item")] == [("MUG-1", "2"), ("TEA-9", "1")]


def test_empty_note_and_cart():
    root = ET.fromstring(order_to_xml(7, "Bo", "", []))
    assert root.findtext("customer") == "Bo" and root.findall("item") == []
