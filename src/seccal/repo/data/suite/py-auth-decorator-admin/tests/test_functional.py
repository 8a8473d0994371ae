import unittest

from shop import store
from shop.handlers import refund_order
from shop.http import Request, User

ADMIN = User("root", frozenset({"admin", "staff"}))


class Refund(unittest.TestCase):
    def setUp(self):
        store.reset()

    def test_admin_refunds(self):
        resp = refund_order(Request(ADMIN), 1)
        self.assertEqual(resp.status, 200)
        self.assertEqual(store.ORDERS[1]["status"], "refunded")

    def test_unknown_order(self):
        self.assertEqual(refund_order(Request(ADMIN), 99).status, 404)
