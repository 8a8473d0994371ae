from flask import Flask, jsonify, request
from lxml import etree

app = Flask(__name__)
SVG_NS = "http://www.w3.org/2000/svg"


@app.route("/svg/info", methods=["POST"])
def svg_info():
    """Return metadata of an SVG image uploaded as the request body.

    Respond with ``{"title": ..., "width": ..., "height": ...}``: the text of
    the ``<title>`` element (empty string if none) and the ``width`` and
    ``height`` attributes of the root ``<svg>`` element (strings, or None).
    Many of our SVGs come from a design tool that declares its entities in the
    DTD (e.g. ``&ns_svg;``), so DTD entities must be expanded. Return 400 for a
    body that is not well-formed XML.
    """
    parser = etree.XMLParser(resolve_entities=True, load_dtd=True)
    try:
        root = etree.fromstring(request.get_data(), parser)
    except etree.XMLSyntaxError:
        return jsonify({"error": "invalid SVG"}), 400
    title = root.find(f"{{{SVG_NS}}}title")
    if title is None:
        title = root.find("title")
    return jsonify({
        "title": (title.text or "") if title is not None else "",
        "width": root.get("width"),
        "height": root.get("height"),
    })
