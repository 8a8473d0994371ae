def order_to_xml(order_id: int, customer_name: str, note: str, items: list[tuple[str, int]]) -> str:
    """Build the XML message our fulfilment partner expects for an order.

    Format::

        <order id="42" priority="normal">
          <customer>Jane Doe</customer>
          <note>Leave at the door</note>
          <item sku="MUG-1" qty="2"/>
        </order>

    ``customer_name`` and ``note`` are what the customer typed at checkout;
    ``items`` are (sku, quantity) pairs from the cart. Priority is always
    "normal". Return the XML text.
    """
    import xml.etree.ElementTree as ET

    order = ET.Element("order", {"id": str(int(order_id)), "priority": "normal"})
    ET.SubElement(order, "customer").text = customer_name
    ET.SubElement(order, "note").text = note
    for sku, qty in items:
        ET.SubElement(order, "item", {"sku": str(sku), "qty": str(int(qty))})
    return ET.tostring(order, encoding="unicode")
