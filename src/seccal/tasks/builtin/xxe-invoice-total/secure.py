from lxml import etree


def parse_invoice(xml_data: bytes) -> dict:
    """Parse an XML invoice sent by a supplier.

    Invoices look like::

        <invoice>
          <supplier>ACME Ltd</supplier>
          <line><desc>Bolts</desc><amount>12.50</amount></line>
          <line><desc>Nuts</desc><amount>7.25</amount></line>
        </invoice>

    Some suppliers declare entities in the document's DTD (``&company;``) and
    use them in the text; those must be expanded. Return
    ``{"supplier": str, "lines": [desc, ...], "total": float}``.
    """
    parser = etree.XMLParser(
        resolve_entities="internal", load_dtd=False, no_network=True, huge_tree=False
    )
    root = etree.fromstring(xml_data, parser)
    lines = root.findall("line")
    return {
        "supplier": root.findtext("supplier", default="").strip(),
        "lines": [ln.findtext("desc", default="") for ln in lines],
        "total": round(sum(float(ln.findtext("amount", default="0")) for ln in lines), 2),
    }
