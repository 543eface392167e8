"""Reader sign-in: bearer tokens, email links and the OAuth 2 / OpenID Connect flow.

Tokens, links and OAuth states are random secrets stored only as sha256 hashes. Every reader
account gets its own ``authors`` row, so comments, moderation and notifications work as for
guests, while the account's display name becomes reserved on the site.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from urllib.parse import quote

import httpx

from rejoinder.domain.site import Site
from rejoinder.errors import RejoinderError, invalid
from rejoinder.identity import oauth
from rejoinder.identity.bearer import hashed, new_secret
from rejoinder.identity.mail import link_email
from rejoinder.identity.names import skeleton
from rejoinder.identity.providers import (
    Profile,
    Provider,
    discover,
    mastodon_instance,
    mastodon_provider,
    register_mastodon_app,
)
from rejoinder.identity.settings import IdentitySettings, identity_settings
from rejoinder.moderation.ratelimit import RateLimiter
from rejoinder.notify.config import NotifyConfig
from rejoinder.services.sites import SiteDirectory
from rejoinder.services.tokens import Signer
from rejoinder.store import authors as author_store
from rejoinder.store import identity as store
from rejoinder.store import outbox as outbox_store
from rejoinder.store.engine import Database
from rejoinder.store.identity import Account
from rejoinder.store.rows import now

EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]+$")
STATE_MINUTES = 10
LINK_WINDOW = 900.0


def unauthorized(code: str, detail: str) -> RejoinderError:
    return RejoinderError(401, code, detail, headers={"WWW-Authenticate": "Bearer"})


def reader_author_key(signer: Signer, provider: str, subject: str) -> str:
    return signer.keyed_hash("author", f"reader:{provider}:{subject}")


@dataclass(frozen=True, slots=True)
class SignedIn:
    token: str
    account: Account
    origin: str | None = None


class SigninService:
    def __init__(
        self,
        db: Database,
        sites: SiteDirectory,
        signer: Signer,
        limiter: RateLimiter,
        *,
        providers: dict[str, Provider],
        notify: NotifyConfig,
        token_days: int = 30,
        link_minutes: int = 15,
        link_per_address: int = 3,
        mastodon_instances: str = "",
        http_timeout: float = 10.0,
    ) -> None:
        self.db = db
        self.sites = sites
        self.signer = signer
        self.limiter = limiter
        self.providers = providers
        self.notify = notify
        self.token_days = token_days
        self.link_minutes = link_minutes
        self.link_per_address = link_per_address
        self.mastodon_instances = mastodon_instances
        self.http_timeout = http_timeout
        self._discovered: dict[str, Provider] = {}

    # -- what a site offers -------------------------------------------------------------------

    async def options(self, site_key: str) -> dict[str, Any]:
        site = await self.sites.require(site_key)
        offered = identity_settings(site.settings).public(set(self.providers))
        offered["labels"] = {n: p.label for n, p in self.providers.items()}
        return offered

    async def _site_allowing(self, site_key: str, method: str) -> tuple[Site, IdentitySettings]:
        site = await self.sites.require(site_key)
        rules = identity_settings(site.settings)
        usable = method in ("email", "guest") or method in self.providers
        if not rules.allows(method) or not usable:
            raise RejoinderError(403, "signin_method_not_allowed",
                                 "This site does not offer that way of signing in.")
        return site, rules

    # -- tokens --------------------------------------------------------------------------------

    async def reader(self, site: Site, authorization: str | None) -> Account | None:
        """The account behind an ``Authorization: Bearer`` header; none sent: None."""
        if not authorization:
            return None
        scheme, _, token = authorization.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise unauthorized("token_invalid", "The sign-in token is not valid.")
        account = await self.account_for(token.strip())
        if account is None or account.site_id != site.id:
            raise unauthorized("token_invalid", "You are signed out; sign in again.")
        return account

    async def account_for(self, token: str) -> Account | None:
        async with self.db.read() as conn:
            return await store.account_for_token(conn, hashed(token))

    async def require(self, authorization: str | None) -> tuple[Account, str]:
        scheme, _, token = (authorization or "").partition(" ")
        account = await self.account_for(token.strip()) if scheme.lower() == "bearer" else None
        if account is None:
            raise unauthorized("token_invalid", "You are signed out; sign in again.")
        return account, token.strip()

    async def _issue(self, account_id: int) -> str:
        token = new_secret("rj_")
        async with self.db.write() as conn:
            await store.add_token(conn, account_id, hashed(token),
                                  now() + timedelta(days=self.token_days))
        return token

    async def sign_out(self, token: str) -> None:
        async with self.db.write() as conn:
            await store.revoke_token(conn, hashed(token))

    async def sign_out_everywhere(self, account: Account) -> int:
        async with self.db.write() as conn:
            return await store.revoke_all(conn, account.id)

    # -- guests --------------------------------------------------------------------------------

    async def check_guest(self, site: Site, name: str | None, email: str | None) -> None:
        """Raise unless a guest may post on ``site`` under ``name``."""
        rules = identity_settings(site.settings)
        if not rules.guests_allowed:
            raise unauthorized("signin_required", "Sign in to comment on this site.")
        if rules.guest_name == "required" and not name:
            raise invalid("name_required", "Give a name to comment.", "name")
        if rules.guest_email == "required" and not email:
            raise invalid("email_required", "Give an email address to comment.", "email")
        if name and await self.name_reserved(site.id, name):
            raise RejoinderError(409, "name_reserved",
                                 "That name belongs to a signed-in reader; choose another.",
                                 [{"field": "name", "message": "This name is taken."}])

    async def name_reserved(self, site_id: int, name: str, except_account: int | None = None
                            ) -> bool:
        key = skeleton(name)
        if not key:
            return False
        async with self.db.read() as conn:
            return await store.name_taken(conn, site_id, key, except_account)

    # -- accounts ------------------------------------------------------------------------------

    async def account_from_profile(self, site: Site, profile: Profile) -> Account:
        """Find or create the site's account for this provider identity; refresh its details."""
        async with self.db.write() as conn:
            found = await store.account_by_subject(conn, site.id, profile.provider,
                                                   profile.subject)
            if found is not None:
                await store.update_account(
                    conn, found.id, avatar_url=profile.avatar_url,
                    email=profile.email if profile.email_verified else found.email,
                    email_verified=found.email_verified or profile.email_verified,
                )
                account = await store.account_by_id(conn, found.id)
                assert account is not None
                return account
            name = await _free_name(conn, site.id, profile.display_name)
            email = profile.email if profile.email_verified else None
            author_id = await author_store.upsert_author(
                conn, site.id, reader_author_key(self.signer, profile.provider, profile.subject),
                name, email, profile.website,
            )
            account_id = await store.insert_account(
                conn, site_id=site.id, author_id=author_id, provider=profile.provider,
                subject=profile.subject, display_name=name, name_key=skeleton(name),
                website=profile.website, email=email, email_verified=bool(email),
                avatar_url=profile.avatar_url,
            )
            account = await store.account_by_id(conn, account_id)
        assert account is not None
        return account

    # -- email links ---------------------------------------------------------------------------

    async def request_link(
        self, site_key: str, email: str, waiter: str, ip: str | None, base_url: str
    ) -> None:
        """Always the same work and answer, whether or not the address has an account."""
        site, _ = await self._site_allowing(site_key, "email")
        address = email.strip().lower()
        if not EMAIL.match(address) or len(address) > 254:
            raise invalid("email_invalid", "Give a valid email address.", "email")
        if not 16 <= len(waiter) <= 200:
            raise invalid("waiter_invalid", "The sign-in window sent no valid waiter.", "waiter")
        waits = [
            await self.limiter.hit(f"signin:addr:{hashed(address)}", self.link_per_address,
                                   LINK_WINDOW),
            await self.limiter.hit(f"signin:ip:{ip}", self.link_per_address * 10, LINK_WINDOW),
        ]
        if any(w is not None for w in waits):
            seconds = int(max(w for w in waits if w is not None)) + 1
            raise RejoinderError(429, "rate_limited",
                                 f"Too many sign-in emails; try again in {seconds} s.",
                                 headers={"Retry-After": str(seconds)})
        link = new_secret()
        url = f"{base_url.rstrip('/')}/signin/link?t={quote(link)}"
        payload = link_email(site.name, address, url, self.link_minutes)
        async with self.db.write() as conn:
            await store.add_link(conn, site.id, address, hashed(link), hashed(waiter),
                                 now() + timedelta(minutes=self.link_minutes))
            await outbox_store.enqueue(conn, "email", payload, f"signin:{hashed(link)[:32]}",
                                       site_id=site.id)

    async def use_link(self, link: str) -> Account:
        async with self.db.write() as conn:
            used = await store.use_link(conn, hashed(link))
        if used is None:
            raise RejoinderError(410, "link_used_or_expired",
                                 "This sign-in link was used already or has expired.")
        link_id, site_id, email = used
        site = next((s for s in await self.sites.all() if s.id == site_id), None)
        if site is None:
            raise RejoinderError(410, "link_used_or_expired", "The site no longer exists.")
        local = email.split("@", 1)[0].replace(".", " ").replace("_", " ").strip().title()
        account = await self.account_from_profile(site, Profile(
            provider="email", subject=email, display_name=local or "Reader", email=email,
            email_verified=True,
        ))
        async with self.db.write() as conn:
            await store.bind_link(conn, link_id, account.id)
        return account

    async def collect(self, waiter: str) -> SignedIn | None:
        """The token for the popup that asked for the link, once, after the link was used."""
        async with self.db.write() as conn:
            account_id = await store.collect_link(conn, hashed(waiter))
            account = await store.account_by_id(conn, account_id) if account_id else None
        if account is None:
            return None
        return SignedIn(token=await self._issue(account.id), account=account)

    # -- OAuth 2 / OpenID Connect --------------------------------------------------------------

    async def _provider(self, name: str, instance: str | None, callback: str) -> Provider:
        if name != "mastodon":
            known = self._discovered.get(name)
            if known is None:
                async with _http(self.http_timeout) as http:
                    known = await discover(http, self.providers[name])
                self._discovered[name] = known
            return known
        host = mastodon_instance(instance, self.mastodon_instances)
        async with self.db.read() as conn:
            app = await store.mastodon_app(conn, host)
        if app is None or app[2] != callback:
            async with _http(self.http_timeout) as http:
                client_id, secret = await register_mastodon_app(http, host, callback,
                                                                self.notify.public_url)
            async with self.db.write() as conn:
                await store.save_mastodon_app(conn, host, client_id, secret, callback)
            app = (client_id, secret, callback)
        return mastodon_provider(host, app[0], app[1])

    async def begin(
        self, site_key: str, provider: str, origin: str, instance: str | None, base_url: str
    ) -> str:
        """Where to send the popup: the provider's authorize URL with state, PKCE and nonce."""
        site, _ = await self._site_allowing(site_key, provider)
        if not site.allows_origin(origin):
            raise RejoinderError(403, "origin_not_allowed",
                                 "Sign-in was opened from a page outside the site's origins.")
        callback = callback_url(base_url, provider)
        config = await self._provider(provider, instance, callback)
        auth = oauth.authorization(config, callback)
        async with self.db.write() as conn:
            await store.purge_expired(conn, now() - timedelta(days=1))
            await store.add_state(
                conn, hashed(auth.state), now() + timedelta(minutes=STATE_MINUTES),
                site_id=site.id, provider=provider,
                instance=mastodon_instance(instance, "*") if provider == "mastodon" else None,
                origin=origin,
                code_verifier=auth.code_verifier, nonce=auth.nonce, claims=json.dumps([]),
            )
        return auth.url

    async def complete(self, provider: str, code: str | None, state: str | None,
                       base_url: str) -> SignedIn:
        if not state:
            raise RejoinderError(400, "state_invalid", "The sign-in answer has no state.")
        async with self.db.write() as conn:
            saved = await store.take_state(conn, hashed(state))
        if saved is None or saved.provider != provider:
            raise RejoinderError(400, "state_invalid",
                                 "This sign-in answer is unknown, expired or was used already.")
        if not code:
            raise RejoinderError(400, "signin_refused", "The provider did not sign you in.")
        site = next((s for s in await self.sites.all() if s.id == saved.site_id), None)
        if site is None:
            raise RejoinderError(400, "state_invalid", "The site no longer exists.")
        callback = callback_url(base_url, provider)
        config = await self._provider(provider, saved.instance, callback)
        try:
            profile = await oauth.exchange(config, callback, code, saved.code_verifier,
                                           saved.nonce, timeout=self.http_timeout)
        except oauth.SigninFailed as exc:
            raise RejoinderError(502, "signin_failed", f"Sign-in failed: {exc}") from None
        account = await self.account_from_profile(site, profile)
        return SignedIn(token=await self._issue(account.id), account=account,
                        origin=saved.origin)


def callback_url(base_url: str, provider: str) -> str:
    return f"{base_url.rstrip('/')}/signin/oauth/{provider}/callback"


def _http(timeout: float) -> httpx.AsyncClient:
    return httpx.AsyncClient(timeout=timeout, follow_redirects=False)


async def _free_name(conn: Any, site_id: int, wanted: str) -> str:
    """The wanted display name, or it with a number when another account holds it."""
    base = wanted.strip()[:70] or "Reader"
    name = base
    for n in range(2, 1000):
        if not await store.name_taken(conn, site_id, skeleton(name)):
            return name
        name = f"{base} {n}"
    return f"{base} {new_secret()[:6]}"
