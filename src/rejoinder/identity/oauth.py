"""The OAuth 2 authorization-code flow with PKCE (through Authlib) and ID token checks."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx
from authlib.common.security import generate_token
from authlib.integrations.httpx_client import AsyncOAuth2Client
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

from rejoinder.identity.providers import Profile, Provider


class SigninFailed(Exception):
    """The provider refused, or answered something we could not verify."""


@dataclass(frozen=True, slots=True)
class Authorization:
    url: str
    state: str
    code_verifier: str
    nonce: str


def _client(provider: Provider, redirect_uri: str, timeout: float) -> AsyncOAuth2Client:
    return AsyncOAuth2Client(
        client_id=provider.client_id, client_secret=provider.client_secret,
        scope=provider.scope, redirect_uri=redirect_uri, code_challenge_method="S256",
        token_endpoint_auth_method="client_secret_post", timeout=timeout,
        follow_redirects=False,
    )


def authorization(provider: Provider, redirect_uri: str) -> Authorization:
    """The provider URL to send the popup to, with a fresh state, PKCE verifier and nonce."""
    state, verifier, nonce = generate_token(32), generate_token(64), generate_token(24)
    client = _client(provider, redirect_uri, 10.0)
    extra = {"nonce": nonce} if provider.issuer else {}
    url, _ = client.create_authorization_url(
        provider.authorize_url, state=state, code_verifier=verifier, **extra
    )
    return Authorization(url=url, state=state, code_verifier=verifier, nonce=nonce)


async def exchange(
    provider: Provider, redirect_uri: str, code: str, code_verifier: str, nonce: str,
    *, timeout: float = 10.0,
) -> Profile:
    """Trade the code for tokens, verify the ID token (OIDC), then read the profile."""
    async with _client(provider, redirect_uri, timeout) as client:
        try:
            token = await client.fetch_token(
                provider.token_url, code=code, code_verifier=code_verifier,
                grant_type="authorization_code",
            )
        except Exception as exc:  # authlib raises several types for a refused exchange
            raise SigninFailed(f"token exchange failed: {exc}") from None
        claims: dict[str, Any] = {}
        if provider.issuer and token.get("id_token"):
            claims = await _verify_id_token(client, provider, token["id_token"], nonce)
        elif provider.issuer:
            raise SigninFailed("the provider sent no ID token")
        data: dict[str, Any] = dict(claims)
        if provider.userinfo_url:
            response = await client.get(provider.userinfo_url,
                                        headers={"Accept": "application/json"})
            if response.status_code != 200:
                raise SigninFailed(f"userinfo answered {response.status_code}")
            info = response.json()
            if claims and str(info.get("sub")) != str(claims.get("sub")):
                raise SigninFailed("userinfo is about another subject than the ID token")
            data.update(info)
    try:
        return provider.mapper(provider.name, data)
    except (KeyError, ValueError, TypeError) as exc:
        raise SigninFailed(f"unusable profile: {exc}") from None


async def _verify_id_token(
    http: httpx.AsyncClient, provider: Provider, id_token: str, nonce: str
) -> dict[str, Any]:
    if not provider.jwks_uri:
        raise SigninFailed("the provider publishes no signing keys")
    keys = (await http.get(provider.jwks_uri)).json()
    try:
        decoded = jwt.decode(id_token, KeySet.import_key_set(keys),
                             algorithms=["RS256", "ES256", "PS256"])
        jwt.JWTClaimsRegistry(
            iss={"essential": True, "value": provider.issuer},
            aud={"essential": True, "value": provider.client_id},
            sub={"essential": True},
            nonce={"essential": True, "value": nonce},
            exp={"essential": True},
        ).validate(decoded.claims)
    except (JoseError, ValueError) as exc:
        raise SigninFailed(f"ID token rejected: {exc}") from None
    return dict(decoded.claims)
