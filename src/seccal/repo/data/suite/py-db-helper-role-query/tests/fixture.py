from app.db import open_database
from app.members import add_member


def seeded():
    db = open_database()
    add_member(db, "ana", "infra", "admin", "tok-ana")
    add_member(db, "bo", "infra", "dev", "tok-bo")
    add_member(db, "cy", "infra", "dev", "tok-cy")
    add_member(db, "di", "web", "dev", "tok-di")
    return db
