import json
import unittest

from api.config import Config
from api.errors import error_response


def boom():
    raise KeyError("user_id")


class Errors(unittest.TestCase):
    def test_status_and_shape(self):
        try:
            boom()
        except KeyError as exc:
            status, body = error_response(Config(), exc)
        self.assertEqual(status, 500)
        self.assertIn("error", body)
        json.dumps(body)

    def test_development_shows_details(self):
        try:
            boom()
        except KeyError as exc:
            _, body = error_response(Config("development", expose_errors=True), exc)
        self.assertIn("user_id", json.dumps(body))
