import doctest

import pytest

from seccal.calibration import metrics, report


@pytest.mark.parametrize("module", [metrics, report], ids=lambda m: m.__name__)
def test_docstring_examples_run(module: object) -> None:
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)  # type: ignore[arg-type]
    assert result.attempted > 0
    assert result.failed == 0
