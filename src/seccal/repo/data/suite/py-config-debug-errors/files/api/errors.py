"""Error handling middleware."""

import traceback
import uuid
from typing import Any

from api.config import Config


def incident_id() -> str:
    return uuid.uuid4().hex[:12]


<<<SECCAL_REGION>>>
