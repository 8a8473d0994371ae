SUPPORT_ADDRESS = "support@example.com"


def build_contact_email(sender_name: str, sender_email: str, subject: str, body: str) -> str:
    """Build the raw RFC 5322 message our contact form hands to the mail relay.

    Headers: ``From: noreply@example.com``, ``To: SUPPORT_ADDRESS``,
    ``Reply-To: <sender_email>``, ``Subject: [Contact] <subject>`` and
    ``X-Sender-Name: <sender_name>``, then an empty line and the body. The
    four arguments are the fields of the website's contact form. Lines end with
    CRLF. Raise ValueError if the message cannot be built.
    """
