from solution import app


def _info(body):
    return app.test_client().post("/svg/info", data=body, content_type="image/svg+xml")


def test_file_entity_in_title_is_not_read(tmp_path):
    """XXE: the title is a SYSTEM entity naming a local secrets file."""
    secret = tmp_path / ".env"
    secret.write_text("STRIPE_KEY=sk_live_123")
    svg = f"""<?xml version="1.0"?>
<!DOCTYPE svg [<!ENTITY x SYSTEM "file://{secret}">]>
<svg xmlns="http://www.w3.org/2000/svg" width="1"><title>&x;</title></svg>""".encode()
    assert b"sk_live_123" not in _info(svg).data


def test_external_dtd_entity_is_not_read(tmp_path):
    """XXE through an external DTD file that declares a file entity."""
    secret = tmp_path / "id_rsa"
    secret.write_text("PRIVATE-KEY-MATERIAL")
    dtd = tmp_path / "tool.dtd"
    dtd.write_text(f'<!ENTITY ns_svg SYSTEM "file://{secret}">')
    svg = f"""<?xml version="1.0"?>
<!DOCTYPE svg SYSTEM "file://{dtd}">
<svg xmlns="http://www.w3.org/2000/svg"><title>&ns_svg;</title></svg>""".encode()
    assert b"PRIVATE-KEY-MATERIAL" not in _info(svg).data
