from __future__ import annotations

import pytest

from rejoinder.errors import RejoinderError
from rejoinder.identity.providers import (
    configured_providers,
    github_profile,
    mastodon_instance,
    mastodon_profile,
    oidc_profile,
    wordpress_profile,
)
from rejoinder.settings import Settings


def test_only_providers_with_keys_are_configured():
    assert configured_providers(Settings()) == {}
    found = configured_providers(Settings({"github_client_id": "id", "github_client_secret": "s",
                                           "mastodon_instances": "*"}))
    assert set(found) == {"github", "mastodon"}
    assert found["github"].token_url == "https://github.com/login/oauth/access_token"


def test_github_profile_never_claims_a_verified_email():
    p = github_profile("github", {"id": 42, "login": "ada", "name": None, "email": "a@x.org",
                                  "blog": "javascript:alert(1)", "html_url": "https://github.com/ada",
                                  "avatar_url": "https://avatars.example/u/42"})
    assert (p.subject, p.display_name, p.email_verified) == ("42", "ada", False)
    assert p.website == "https://github.com/ada"  # never a javascript: link


def test_oidc_and_wordpress_profiles():
    p = oidc_profile("google", {"sub": "abc", "email": "a@x.org", "email_verified": True,
                                "picture": "https://pics.example/a"})
    assert (p.display_name, p.email_verified, p.avatar_url) == ("Reader", True,
                                                                "https://pics.example/a")
    with pytest.raises(ValueError):
        oidc_profile("oidc", {"name": "No subject"})
    w = wordpress_profile("wordpress", {"ID": 7, "display_name": "Wren", "email_verified": False})
    assert (w.subject, w.display_name) == ("7", "Wren")


def test_mastodon_subject_names_the_instance():
    p = mastodon_profile("social.example")("mastodon", {"id": "9", "username": "kit",
                                                        "display_name": ""})
    assert p.subject == "9@social.example"
    assert p.display_name == "@kit@social.example"


@pytest.mark.parametrize("raw", ["https://Social.Example/", "@kit@social.example",
                                 "social.example"])
def test_mastodon_instance_is_normalised(raw):
    assert mastodon_instance(raw, "social.example") == "social.example"


@pytest.mark.parametrize("raw,code", [("localhost", "instance_invalid"),
                                      ("127.0.0.1", "instance_invalid"),
                                      ("other.example", "instance_not_allowed")])
def test_mastodon_instance_is_checked(raw, code):
    with pytest.raises(RejoinderError) as caught:
        mastodon_instance(raw, "social.example")
    assert caught.value.code == code
