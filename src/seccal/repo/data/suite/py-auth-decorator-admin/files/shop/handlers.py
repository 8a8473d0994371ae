"""HTTP handlers of the back office."""

from shop import store
from shop.auth import requires_role
from shop.http import Request, Response


@requires_role("staff")
def order_status(request: Request, order_id: int) -> Response:
    order = store.ORDERS.get(order_id)
    if order is None:
        return Response(404, {"error": "no such order"})
    return Response(200, {"status": order["status"]})


<<<SECCAL_REGION>>>
