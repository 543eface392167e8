from __future__ import annotations

import pytest

from rejoinder.errors import RejoinderError
from rejoinder.identity.settings import IdentitySettings, identity_settings


def test_default_is_guests_only():
    rules = identity_settings({})
    assert rules == IdentitySettings()
    assert rules.guests_allowed
    assert rules.providers == ()


def test_require_signin_turns_guests_away():
    rules = identity_settings({"identity": {"methods": ["guest", "email"],
                                            "require_signin": True}})
    assert not rules.guests_allowed
    assert rules.allows("email")


def test_public_view_lists_only_configured_providers():
    rules = identity_settings({"identity": {"methods": ["guest", "github", "oidc"]}})
    assert rules.public({"oidc"})["methods"] == ["guest", "oidc"]


@pytest.mark.parametrize("bad", [
    "email", {"methods": ["facebook"]}, {"methods": []}, {"methods": "guest"},
    {"guest_name": "sometimes"}, {"require_signin": "yes"}, {"colour": "red"},
    {"methods": ["guest"], "require_signin": True},
])
def test_invalid_settings_are_refused_with_a_stable_code(bad):
    with pytest.raises(RejoinderError) as caught:
        identity_settings({"identity": bad})
    assert caught.value.code == "invalid_site_setting"
    assert caught.value.status == 422
