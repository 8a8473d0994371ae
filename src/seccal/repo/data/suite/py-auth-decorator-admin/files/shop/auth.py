"""Authorization for handlers: decorate every handler with the role it needs."""

import functools
from collections.abc import Callable
from typing import Any

from shop.http import Request, Response


def requires_role(role: str) -> Callable[[Callable[..., Response]], Callable[..., Response]]:
    """Handler decorator: 401 without a user, 403 without ``role``."""

    def wrap(handler: Callable[..., Response]) -> Callable[..., Response]:
        @functools.wraps(handler)
        def guarded(request: Request, *args: Any, **kwargs: Any) -> Response:
            if request.user is None:
                return Response(401, {"error": "login required"})
            if role not in request.user.roles:
                return Response(403, {"error": f"{role} role required"})
            return handler(request, *args, **kwargs)

        return guarded

    return wrap
