"""Attachment download handler logic."""

import os

from docs.paths import UnsafePath, resolve_under
from docs.settings import Settings


def list_attachments(settings: Settings) -> list[str]:
    return sorted(os.listdir(settings.attachment_dir))


<<<SECCAL_REGION>>>
