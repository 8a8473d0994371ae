def parse_settings(text: str) -> dict:
    """Parse the settings files our users upload with their projects.

    Each non-empty line is ``name = value``; lines starting with ``#`` are
    comments. Values are written as Python literals: numbers, quoted strings,
    True/False/None, lists, tuples and dicts, e.g. ``ports = [80, 443]``.
    Return a dict mapping each name to its value. Raise ValueError for a line
    that is not of that form.
    """
    import ast

    settings = {}
    for lineno, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        name, sep, value = line.partition("=")
        name = name.strip()
        if not sep or not name.isidentifier():
            raise ValueError(f"line {lineno}: expected 'name = value'")
        try:
            settings[name] = ast.literal_eval(value.strip())
        except (ValueError, SyntaxError) as exc:
            raise ValueError(f"line {lineno}: invalid value: {exc}") from exc
    return settings
