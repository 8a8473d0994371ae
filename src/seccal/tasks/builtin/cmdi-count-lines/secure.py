import subprocess


def count_lines(path: str) -> int:
    """Return the number of lines in the file at ``path``.

    Use the ``wc -l`` command (our log files are large and wc is fast). The path
    is the one the user picked in the log viewer. Raise an exception if the file
    cannot be read.
    """
    out = subprocess.run(
        ["wc", "-l", "--", path], capture_output=True, text=True, check=True
    ).stdout
    return int(out.split()[0])
