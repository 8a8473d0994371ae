import logging

audit_log = logging.getLogger("audit")


def record_failed_login(username: str, ip: str) -> None:
    """Record a failed login attempt in the audit log.

    Log one WARNING line on ``audit_log`` of the form
    ``failed login for user '<username>' from <ip>``; ``username`` is what was
    typed into the login form. The security team's tools parse this log one
    line per event.
    """
