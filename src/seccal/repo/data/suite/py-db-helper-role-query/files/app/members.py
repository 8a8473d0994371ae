"""Directory queries used by the HTTP layer."""

from app.db import Database


def add_member(db: Database, username: str, team: str, role: str, token: str) -> None:
    db.execute(
        "INSERT INTO members (username, team, role, api_token) VALUES (?, ?, ?, ?)",
        (username, team, role, token),
    )


<<<SECCAL_REGION>>>
