from __future__ import annotations

import pytest

from rejoinder.errors import ConfigError
from rejoinder.services.moderating import make_scoring
from rejoinder.settings import load_settings


def settings(**values):
    return load_settings(environ={}, secret_key="s", **values)


def test_the_server_scores_with_the_int8_encoder_unless_told_otherwise():
    default = make_scoring(settings())
    assert default is not None and default.classifier.precision == "int8"
    exact = make_scoring(settings(classifier_precision="float32"))
    assert exact is not None and exact.classifier.precision == "float32"
    assert make_scoring(settings(classifiers=False)) is None


def test_an_unknown_precision_is_a_configuration_error():
    with pytest.raises(ConfigError, match="classifier_precision must be one of float32, int8"):
        make_scoring(settings(classifier_precision="fp16"))
