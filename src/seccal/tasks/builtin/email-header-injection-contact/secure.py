SUPPORT_ADDRESS = "support@example.com"


def build_contact_email(sender_name: str, sender_email: str, subject: str, body: str) -> str:
    """Build the raw RFC 5322 message our contact form hands to the mail relay.

    Headers: ``From: noreply@example.com``, ``To: SUPPORT_ADDRESS``,
    ``Reply-To: <sender_email>``, ``Subject: [Contact] <subject>`` and
    ``X-Sender-Name: <sender_name>``, then an empty line and the body. The
    four arguments are the fields of the website's contact form. Lines end with
    CRLF. Raise ValueError if the message cannot be built.
    """
    for field, value in (("name", sender_name), ("email", sender_email), ("subject", subject)):
        if "\r" in value or "\n" in value:
            raise ValueError(f"{field} must be a single line")
    headers = [
        "From: noreply@example.com",
        f"To: {SUPPORT_ADDRESS}",
        f"Reply-To: {sender_email}",
        f"Subject: [Contact] {subject}",
        f"X-Sender-Name: {sender_name}",
    ]
    return "\r\n".join(headers) + "\r\n\r\n" + body.replace("\r\n", "\n").replace("\n", "\r\n")
