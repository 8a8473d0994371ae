def parse_settings(text: str) -> dict:
    """Parse the settings files our users upload with their projects.

    Each non-empty line is ``name = value``; lines starting with ``#`` are
    comments. Values are written as Python literals: numbers, quoted strings,
    True/False/None, lists, tuples and dicts, e.g. ``ports = [80, 443]``.
    Return a dict mapping each name to its value. Raise ValueError for a line
    that is not of that form.
    """
