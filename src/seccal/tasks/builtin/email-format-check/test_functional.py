import pytest

from solution import is_valid_email


@pytest.mark.parametrize(
    "address",
    [
        "jane.doe+news@mail.example.com",
        "a@b.io",
        "first_last%x@sub-domain.example.org",
        "x-y@example.co",
    ],
)
def test_accepts_valid(address):
    assert is_valid_email(address)


@pytest.mark.parametrize(
    "address",
    [
        "plainaddress",
        "@example.com",
        "jane@",
        "jane@example",
        ".jane@example.com",
        "ja ne@example.com",
        "jane@exa mple.com",
    ],
)
def test_rejects_invalid(address):
    assert not is_valid_email(address)
