import io
import zipfile

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_EXTRACTED_BYTES = 32 * 1024 * 1024  # the import worker runs with 256 MB of memory


def read_notes_archive(upload: bytes) -> dict[str, str]:
    """Import notes from a ZIP file a user uploaded (at most MAX_UPLOAD_BYTES).

    Return a dict mapping the name of every ``.txt`` member to its UTF-8 text; other
    members are ignored. Raise ValueError for an upload we cannot import.
    """
    if len(upload) > MAX_UPLOAD_BYTES:
        raise ValueError("upload too large")
    try:
        archive = zipfile.ZipFile(io.BytesIO(upload))
    except zipfile.BadZipFile as exc:
        raise ValueError("not a ZIP archive") from exc
    notes: dict[str, str] = {}
    budget = MAX_EXTRACTED_BYTES
    with archive:
        for info in archive.infolist():
            if info.is_dir() or not info.filename.endswith(".txt"):
                continue
            # declared sizes can lie, so read in chunks and count what really comes out
            chunks = []
            with archive.open(info) as member:
                while chunk := member.read(64 * 1024):
                    budget -= len(chunk)
                    if budget < 0:
                        raise ValueError("archive expands beyond the size limit")
                    chunks.append(chunk)
            try:
                notes[info.filename] = b"".join(chunks).decode("utf-8")
            except UnicodeDecodeError as exc:
                raise ValueError(f"{info.filename} is not UTF-8 text") from exc
    return notes
