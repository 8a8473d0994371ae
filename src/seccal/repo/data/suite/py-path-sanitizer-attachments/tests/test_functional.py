import unittest

from docs.attachments import read_attachment
from tests.fixture import make_store


class Read(unittest.TestCase):
    def test_reads_nested_attachment(self):
        settings, _ = make_store()
        self.assertEqual(read_attachment(settings, "t1/log.txt"), b"stack trace")

    def test_missing(self):
        settings, _ = make_store()
        with self.assertRaises(FileNotFoundError):
            read_attachment(settings, "t1/nope.txt")
