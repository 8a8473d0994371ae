import pickle


def load_cached_report(blob: bytes) -> dict:
    """Load a report from the shared cache.

    The reporting service stores reports in the cache with
    ``pickle.dumps(report)``; a report is a dict of plain data (str, int, float,
    bool, None, lists, tuples and nested dicts). Other services can also write
    to this cache. Return the report dict; raise ValueError when the blob does
    not hold a dict.
    """
    import io

    class _PlainDataUnpickler(pickle.Unpickler):
        def find_class(self, module, name):
            # Plain containers and scalars need no globals: refuse every class/function.
            raise pickle.UnpicklingError(f"forbidden global {module}.{name}")

    try:
        report = _PlainDataUnpickler(io.BytesIO(blob)).load()
    except (pickle.UnpicklingError, EOFError) as exc:
        raise ValueError(f"not a plain-data report: {exc}") from exc
    if not isinstance(report, dict):
        raise ValueError("cached value is not a dict")
    return report
