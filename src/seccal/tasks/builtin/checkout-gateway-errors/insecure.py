import logging
import uuid

log = logging.getLogger("shop.checkout")


class GatewayError(Exception):
    """Raised by the payment gateway client; messages are meant for our logs."""


class PaymentGateway:
    """Client of the card processor (stands in for the vendor SDK)."""

    api_key = "pk_live_9f8e7d6c5b4a39281706"

    def charge(self, card_number: str, cents: int) -> str:
        if card_number.endswith("0002"):
            raise GatewayError(
                f"POST https://api.cardproc.example/v1/charges key={self.api_key} "
                f"card={card_number} amount={cents}: 402 card_declined"
            )
        if cents <= 0:
            raise GatewayError(f"invalid amount {cents} (key={self.api_key})")
        return "ch_" + uuid.uuid4().hex[:12]


gateway = PaymentGateway()


def checkout(payload: dict) -> tuple[dict, int]:
    """Handle the JSON body of POST /checkout: {"card_number": str, "amount_cents": int}.

    Charge the card through `gateway`. Return ({"status": "paid", "charge_id": ...}, 201)
    on success. If the gateway fails, return a JSON-able error body with status 402 so
    the shop frontend can tell the customer what went wrong.
    """
    try:
        charge_id = gateway.charge(payload["card_number"], payload["amount_cents"])
    except GatewayError as e:
        log.warning("charge failed: %s", e)
        return {"status": "failed", "error": str(e)}, 402
    return {"status": "paid", "charge_id": charge_id}, 201
