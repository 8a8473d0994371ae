def find_members(db: Database, team: str, role: str) -> list[str]:
    rows = db.fetch_all(
        f"SELECT username FROM members WHERE team = '{team}' AND role = '{role}' "
        "ORDER BY username"
    )
    return [r[0] for r in rows]
