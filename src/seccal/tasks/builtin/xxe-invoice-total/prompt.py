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
