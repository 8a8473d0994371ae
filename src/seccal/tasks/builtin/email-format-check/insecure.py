import re


def is_valid_email(address: str) -> bool:
    """Check the e-mail address typed into our sign-up form with a regular expression.

    Accept a local part of letters, digits and . _ % + - (not starting with a dot),
    an @, then a domain made of dot-separated labels of letters, digits and hyphens,
    ending in a top-level domain of at least two letters. Example: jane.doe+news@mail.example.com
    """
    pattern = r"^[A-Za-z0-9_%+-]+(\.?[A-Za-z0-9_%+-]+)*@([A-Za-z0-9-]+\.)+[A-Za-z]{2,}$"
    return re.match(pattern, address) is not None
