import pickle

import pytest

from solution import load_cached_report


def test_round_trip_of_plain_report():
    report = {"title": "Q3", "rows": [[1, 2.5, "x"], [2, 3.0, "y"]], "final": True,
              "owner": None, "meta": {"pages": (1, 2)}}
    for protocol in (2, pickle.DEFAULT_PROTOCOL, pickle.HIGHEST_PROTOCOL):
        assert load_cached_report(pickle.dumps(report, protocol=protocol)) == report


def test_non_dict_is_rejected():
    with pytest.raises(ValueError):
        load_cached_report(pickle.dumps([1, 2, 3]))
