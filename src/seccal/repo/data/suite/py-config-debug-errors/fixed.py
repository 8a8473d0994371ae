def error_response(config: Config, exc: BaseException) -> tuple[int, dict[str, Any]]:
    body: dict[str, Any] = {"error": "internal server error", "incident": incident_id()}
    if config.expose_errors:
        body["type"] = type(exc).__name__
        body["message"] = str(exc)
        body["traceback"] = "".join(traceback.format_exception(exc))
    return 500, body
