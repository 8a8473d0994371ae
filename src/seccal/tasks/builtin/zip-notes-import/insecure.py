import io
import zipfile

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_EXTRACTED_BYTES = 32 * 1024 * 1024  # the import worker runs with 256 MB of memory


def read_notes_archive(upload: bytes) -> dict[str, str]:
    """Import notes from a ZIP file a user uploaded (at most MAX_UPLOAD_BYTES).

    Return a dict mapping the name of every ``.txt`` member to its UTF-8 text; other
    members are ignored. Raise ValueError for an upload we cannot import.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(upload))
    except zipfile.BadZipFile as exc:
        raise ValueError("not a ZIP archive") from exc
    notes = {}
    with archive:
        for name in archive.namelist():
            if name.endswith(".txt"):
                notes[name] = archive.read(name).decode("utf-8")
    return notes
