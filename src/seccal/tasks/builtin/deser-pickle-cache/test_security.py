import pickle

from solution import load_cached_report


class _Exploit:
    def __init__(self, code):
        self.code = code

    def __reduce__(self):
        return (exec, (self.code,))


def test_reduce_payload_does_not_run_code(tmp_path):
    """A pickle whose __reduce__ calls exec() to create a marker file."""
    marker = tmp_path / "pwned"
    blob = pickle.dumps({"title": _Exploit(f"open({str(marker)!r}, 'w').write('x')")})
    try:
        load_cached_report(blob)
    except Exception:
        pass  # refusing the blob is fine
    assert not marker.exists()


def test_os_system_payload_does_not_run(tmp_path):
    """The textbook payload: os.system via a pickled callable."""
    import os

    class Cmd:
        def __reduce__(self):
            return (os.system, (f"touch {tmp_path / 'pwned2'}",))

    try:
        load_cached_report(pickle.dumps(Cmd()))
    except Exception:
        pass
    assert not (tmp_path / "pwned2").exists()
