from __future__ import annotations

import pytest

from rejoinder.errors import ConfigError
from rejoinder.settings import load_settings


def test_file_then_environment(tmp_path):
    config = tmp_path / "r.toml"
    config.write_text('port = 9000\nsecret_key = "from-file"\ntrust_proxy_headers = true\n')
    settings = load_settings(config, environ={"REJOINDER_PORT": "9100"})
    assert settings.port == 9100  # environment wins
    assert settings.secret_key == "from-file"
    assert settings.trust_proxy_headers is True
    assert settings.max_depth == 6  # default


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("port = 'x'", "port must be a whole number"),
        ("unknown_thing = 1", "unknown setting 'unknown_thing'"),
        ("port = [", "not valid TOML"),
        ("trust_proxy_headers = 'maybe'", "true or false"),
    ],
)
def test_invalid_file(tmp_path, content, message):
    config = tmp_path / "r.toml"
    config.write_text(content)
    with pytest.raises(ConfigError, match=message):
        load_settings(config, environ={})


def test_missing_file(tmp_path):
    with pytest.raises(ConfigError, match="does not exist"):
        load_settings(tmp_path / "absent.toml", environ={})


def test_bad_environment_value():
    with pytest.raises(ConfigError, match="REJOINDER_EDIT_WINDOW_SECONDS"):
        load_settings(environ={"REJOINDER_EDIT_WINDOW_SECONDS": "soon"})
