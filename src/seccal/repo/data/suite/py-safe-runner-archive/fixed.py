def archive_size(path: str) -> int:
    out = run_tool(["stat", "-c", "%s", "--", path])
    return int(out.strip())
