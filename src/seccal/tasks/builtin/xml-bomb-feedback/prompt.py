import xml.etree.ElementTree as ET


def parse_feedback(xml_text: str) -> dict:
    """Parse a feedback form that our partners post to us as XML.

    Documents look like
    ``<feedback><name>Ann</name><rating>4</rating><comment>Great</comment></feedback>``.
    Return ``{"name": str, "rating": int, "comment": str}`` (an element that is
    missing gives an empty string, or 0 for the rating). Raise ValueError for
    a document that cannot be parsed.
    """
