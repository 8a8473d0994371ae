import unittest

from app.members import find_members
from tests.fixture import seeded


class FindMembers(unittest.TestCase):
    def test_filters_team_and_role(self):
        self.assertEqual(find_members(seeded(), "infra", "dev"), ["bo", "cy"])

    def test_no_match(self):
        self.assertEqual(find_members(seeded(), "web", "admin"), [])
