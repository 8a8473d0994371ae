"""In-memory order store."""

ORDERS: dict[int, dict[str, object]] = {}


def reset() -> None:
    ORDERS.clear()
    ORDERS[1] = {"item": "lamp", "status": "paid"}
    ORDERS[2] = {"item": "desk", "status": "paid"}
