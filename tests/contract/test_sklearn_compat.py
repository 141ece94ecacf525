"""scikit-learn compatibility: learnless's errors are the exceptions scikit-learn code catches, and
RelativeProjection passes scikit-learn's own estimator checks."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import sklearn.exceptions
from sklearn.utils.estimator_checks import check_estimator

from learnless.errors import ConfigError, DataError, MissingFileError, NotFittedError
from learnless.relate import RelativeProjection

# The one check RelativeProjection opts out of, and why.
EXPECTED_FAILED = {
    "check_estimators_dtypes": "its integer inputs hold all-zero rows, and the cosine to an all-zero row has "
                               "no direction: RelativeProjection refuses it (DataError) rather than return "
                               "NaN; with a similarity defined there (euclidean) the check passes, below",
}


def test_errors_are_what_sklearn_code_catches():
    assert issubclass(ConfigError, ValueError) and issubclass(DataError, ValueError)
    assert issubclass(NotFittedError, sklearn.exceptions.NotFittedError)
    assert issubclass(MissingFileError, FileNotFoundError)
    with pytest.raises(sklearn.exceptions.NotFittedError):
        RelativeProjection().transform(np.ones((2, 3)))


def _failed(estimator, expected=None) -> dict:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        results = check_estimator(estimator, on_fail=None, expected_failed_checks=expected)
    return {r["check_name"]: r["exception"] for r in results if r["status"] == "failed"}


def test_relative_projection_passes_check_estimator():
    assert RelativeProjection().__sklearn_tags__().transformer_tags is not None
    assert _failed(RelativeProjection(), EXPECTED_FAILED) == {}


def test_the_opted_out_check_passes_where_the_similarity_is_defined():
    from sklearn.utils.estimator_checks import check_estimators_dtypes

    check_estimators_dtypes("RelativeProjection", RelativeProjection(similarity="euclidean"))
