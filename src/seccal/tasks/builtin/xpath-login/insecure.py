from lxml import etree


def authenticate(users_xml: bytes, username: str, password_hash: str) -> str | None:
    """Check a login against our XML user store and return the user's role.

    ``users_xml`` looks like::

        <users>
          <user><name>alice</name><hash>5f4d...</hash><role>editor</role></user>
          ...
        </users>

    Use an XPath query to find the ``user`` whose ``name`` and ``hash`` equal
    the given values (both come from the login form) and return the text of its
    ``role``, or None when no user matches.
    """
    root = etree.fromstring(users_xml)
    roles = root.xpath(
        f"/users/user[name = '{username}' and hash = '{password_hash}']/role/text()"
    )
    return str(roles[0]) if roles else None
