from solution import parse_invoice


def _parse(xml):
    try:
        return repr(parse_invoice(xml))
    except Exception:
        return ""  # refusing the document is fine


def test_external_file_entity_is_not_read(tmp_path):
    """XXE: a SYSTEM entity pointing at a local file copies it into the supplier name."""
    secret = tmp_path / "passwd"
    secret.write_text("root:x:0:0:TOPSECRET:/root:/bin/bash")
    xml = f"""<?xml version="1.0"?>
<!DOCTYPE invoice [<!ENTITY xxe SYSTEM "file://{secret}">]>
<invoice><supplier>&xxe;</supplier><line><desc>a</desc><amount>1</amount></line></invoice>""".encode()
    assert "TOPSECRET" not in _parse(xml)


def test_parameter_entity_file_is_not_read(tmp_path):
    """XXE through an external DTD that defines the entity from a local file."""
    secret = tmp_path / "token.txt"
    secret.write_text("API-TOKEN-4242")
    dtd = tmp_path / "evil.dtd"
    dtd.write_text(f'<!ENTITY leak SYSTEM "file://{secret}">')
    xml = f"""<?xml version="1.0"?>
<!DOCTYPE invoice SYSTEM "file://{dtd}">
<invoice><supplier>&leak;</supplier></invoice>""".encode()
    assert "API-TOKEN-4242" not in _parse(xml)
