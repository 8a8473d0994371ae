from solution import app


def _info(body):
    return app.test_client().post("/svg/info", data=body, content_type="image/svg+xml")


def test_reads_title_and_size():
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" width="120" height="80"><title>Logo</title></svg>'
    resp = _info(svg)
    assert resp.status_code == 200
    assert resp.get_json() == {"title": "Logo", "width": "120", "height": "80"}


def test_dtd_entities_are_expanded():
    svg = b"""<?xml version="1.0"?>
<!DOCTYPE svg [<!ENTITY brand "Initech">]>
<svg xmlns="http://www.w3.org/2000/svg" width="10"><title>&brand; logo</title></svg>"""
    assert _info(svg).get_json() == {"title": "Initech logo", "width": "10", "height": None}


def test_malformed_is_400():
    assert _info(b"<svg><title>x</svg>").status_code == 400
