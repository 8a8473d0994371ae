def read_attachment(settings: Settings, name: str) -> bytes:
    path = os.path.join(settings.attachment_dir, name)
    with open(path, "rb") as fh:
        return fh.read()
