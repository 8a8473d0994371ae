def archive_size(path: str) -> int:
    out = subprocess.check_output(f"stat -c %s {path}", shell=True, text=True)
    return int(out.strip())
