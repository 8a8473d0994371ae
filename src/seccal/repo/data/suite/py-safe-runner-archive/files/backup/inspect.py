"""Archive inspection helpers used by the backup CLI."""

import subprocess

from backup.runner import ToolError, run_tool


def archive_kind(path: str) -> str:
    return "tar" if path.endswith((".tar", ".tgz", ".tar.gz")) else "other"


<<<SECCAL_REGION>>>
