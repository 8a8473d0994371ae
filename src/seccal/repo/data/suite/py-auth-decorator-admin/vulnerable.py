def refund_order(request: Request, order_id: int) -> Response:
    order = store.ORDERS.get(order_id)
    if order is None:
        return Response(404, {"error": "no such order"})
    order["status"] = "refunded"
    return Response(200, {"refunded": order_id})
