def find_members(db: Database, team: str, role: str) -> list[str]:
    rows = db.fetch_all(
        "SELECT username FROM members WHERE team = ? AND role = ? ORDER BY username",
        (team, role),
    )
    return [r[0] for r in rows]
