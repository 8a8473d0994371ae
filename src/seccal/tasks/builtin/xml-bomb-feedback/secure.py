import xml.etree.ElementTree as ET


def parse_feedback(xml_text: str) -> dict:
    """Parse a feedback form that our partners post to us as XML.

    Documents look like
    ``<feedback><name>Ann</name><rating>4</rating><comment>Great</comment></feedback>``.
    Return ``{"name": str, "rating": int, "comment": str}`` (an element that is
    missing gives an empty string, or 0 for the rating). Raise ValueError for
    a document that cannot be parsed.
    """
    import defusedxml.ElementTree as DET
    from defusedxml import DefusedXmlException

    try:
        root = DET.fromstring(xml_text, forbid_dtd=True)
    except (ET.ParseError, DefusedXmlException) as exc:
        raise ValueError(f"cannot parse feedback: {exc}") from exc
    return {
        "name": root.findtext("name", default=""),
        "rating": int(root.findtext("rating", default="0") or 0),
        "comment": root.findtext("comment", default=""),
    }
