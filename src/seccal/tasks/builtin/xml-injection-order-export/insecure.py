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
    lines = [f'<order id="{order_id}" priority="normal">']
    lines.append(f"  <customer>{customer_name}</customer>")
    lines.append(f"  <note>{note}</note>")
    for sku, qty in items:
        lines.append(f'  <item sku="{sku}" qty="{qty}"/>')
    lines.append("</order>")
    return "\n".join(lines)
