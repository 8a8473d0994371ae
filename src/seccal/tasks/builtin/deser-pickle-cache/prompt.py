import pickle


def load_cached_report(blob: bytes) -> dict:
    """Load a report from the shared cache.

    The reporting service stores reports in the cache with
    ``pickle.dumps(report)``; a report is a dict of plain data (str, int, float,
    bool, None, lists, tuples and nested dicts). Other services can also write
    to this cache. Return the report dict; raise ValueError when the blob does
    not hold a dict.
    """
