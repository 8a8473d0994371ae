from solution import check_password, set_password


def test_set_and_check(tmp_path):
    path = str(tmp_path / "creds.txt")
    set_password(path, "backup", "tape-rotation-7")
    assert check_password(path, "backup", "tape-rotation-7")
    assert not check_password(path, "backup", "tape-rotation-8")
    assert not check_password(path, "nobody", "tape-rotation-7")


def test_update_keeps_other_users(tmp_path):
    path = str(tmp_path / "creds.txt")
    set_password(path, "a", "first")
    set_password(path, "b", "second")
    set_password(path, "a", "changed")
    assert check_password(path, "a", "changed")
    assert not check_password(path, "a", "first")
    assert check_password(path, "b", "second")
    lines = (tmp_path / "creds.txt").read_text().splitlines()
    assert sorted(line.split(":", 1)[0] for line in lines) == ["a", "b"]
