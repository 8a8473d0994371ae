def error_response(config: Config, exc: BaseException) -> tuple[int, dict[str, Any]]:
    body: dict[str, Any] = {
        "error": "internal server error",
        "incident": incident_id(),
        "type": type(exc).__name__,
        "message": str(exc),
        "traceback": "".join(traceback.format_exception(exc)),
    }
    return 500, body
