import os
import tempfile
import unittest

from backup.inspect import archive_size


class Size(unittest.TestCase):
    def test_size(self):
        d = tempfile.mkdtemp()
        p = os.path.join(d, "nightly.tar")
        with open(p, "wb") as fh:
            fh.write(b"x" * 1234)
        self.assertEqual(archive_size(p), 1234)
