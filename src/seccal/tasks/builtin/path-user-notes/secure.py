from pathlib import Path


def read_note(storage_root: str, username: str, note_name: str) -> str:
    """Return the text of one of a user's notes.

    Each user's notes are files in ``<storage_root>/<username>/``. ``username``
    is the logged-in user; ``note_name`` comes from the URL of the note page
    and may contain subfolders (``work/todo.txt``). Raise FileNotFoundError when
    the note does not exist.
    """
    user_dir = (Path(storage_root) / username).resolve()
    path = (user_dir / note_name).resolve()
    if not path.is_relative_to(user_dir) or not path.is_file():
        raise FileNotFoundError(note_name)
    return path.read_text(encoding="utf-8")
