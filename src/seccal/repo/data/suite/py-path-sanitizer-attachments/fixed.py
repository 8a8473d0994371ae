def read_attachment(settings: Settings, name: str) -> bytes:
    try:
        path = resolve_under(settings.attachment_dir, name)
    except UnsafePath:
        raise FileNotFoundError(name) from None
    with open(path, "rb") as fh:
        return fh.read()
