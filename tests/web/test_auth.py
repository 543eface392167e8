from __future__ import annotations

from contextlib import aclosing

from tests.web.conftest import FORM_CSRF, PASSWORD


async def _post_login(client, username, password):
    page = await client.get("/moderate/login")
    token = FORM_CSRF.search(page.text).group(1)
    return await client.post("/moderate/login", data={
        "username": username, "password": password, "csrf_token": token})


async def test_login_sets_a_secure_http_only_lax_cookie(dash):
    async with dash.client() as client:
        r = await _post_login(client, "alice", PASSWORD)
        assert r.status_code == 303 and r.headers["location"] == "/moderate"
        cookie = next(h for h in r.headers.get_list("set-cookie")
                      if h.startswith("rejoinder_session="))
        assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Secure" in cookie
        home = await client.get("/moderate")
        assert home.status_code == 303
        assert home.headers["location"] == "/moderate/test/queue/pending"


async def test_plain_http_on_localhost_drops_secure(dash):
    async with dash.client("http://localhost") as client:
        r = await _post_login(client, "alice", PASSWORD)
        cookie = next(h for h in r.headers.get_list("set-cookie")
                      if h.startswith("rejoinder_session="))
        assert "Secure" not in cookie
    async with dash.client("http://comments.example.org") as client:
        page = await client.get("/moderate/login")
        assert "Secure" in page.headers["set-cookie"]


async def test_login_without_csrf_is_refused(dash):
    async with dash.client() as client:
        await client.get("/moderate/login")
        r = await client.post("/moderate/login",
                              data={"username": "alice", "password": PASSWORD})
        assert r.status_code == 403 and r.json()["code"] == "csrf_failed"
        assert "rejoinder_session" not in client.cookies


async def test_wrong_password_and_unknown_user_read_the_same(dash):
    async with dash.client() as client:
        wrong = await _post_login(client, "alice", "not the password")
        unknown = await _post_login(client, "nobody-here", "not the password")
    assert wrong.status_code == unknown.status_code == 403
    message = FORM_CSRF.sub("", wrong.text)
    assert message == FORM_CSRF.sub("", unknown.text)
    assert "wrong" in wrong.text


async def test_lockout_after_five_failures_even_with_the_right_password(dash):
    async with dash.client() as client:
        for _ in range(5):
            r = await _post_login(client, "alice", "guess guess guess")
            assert r.status_code == 403
        locked = await _post_login(client, "alice", PASSWORD)
        assert locked.status_code == 403
        assert "rejoinder_session" not in client.cookies
        assert FORM_CSRF.sub("", locked.text) == FORM_CSRF.sub(
            "", (await _post_login(client, "nobody", "x" * 12)).text)
    # another account is not affected
    client, _csrf = await dash.login("bob")
    await client.aclose()


async def test_failures_below_the_limit_are_forgotten_after_a_success(dash):
    async with dash.client() as client:
        for _ in range(4):
            await _post_login(client, "alice", "guess guess guess")
        assert (await _post_login(client, "alice", PASSWORD)).status_code == 303
        for _ in range(4):
            await _post_login(client, "alice", "guess guess guess")
        assert (await _post_login(client, "alice", PASSWORD)).status_code == 303


async def test_logout_invalidates_the_session(dash):
    client, csrf = await dash.login("alice")
    async with aclosing(client):
        stolen = client.cookies.get("rejoinder_session")
        r = await client.post("/moderate/logout", data={"csrf_token": csrf})
        assert r.status_code == 303
        async with dash.client() as replay:
            replay.cookies.set("rejoinder_session", stolen)
            page = await replay.get("/moderate/test/queue/pending")
            assert page.status_code == 303 and page.headers["location"].startswith(
                "/moderate/login")
            api = await replay.get("/api/v1/moderate/test/queues/pending")
            assert api.status_code == 403 and api.json()["code"] == "login_required"


async def test_logout_needs_the_csrf_token(dash):
    client, _csrf = await dash.login("alice")
    async with aclosing(client):
        r = await client.post("/moderate/logout", data={})
        assert r.status_code == 403 and r.json()["code"] == "csrf_failed"
        assert (await client.get("/moderate/test/queue/pending")).status_code == 200


async def test_password_change_ends_other_sessions(dash):
    first, csrf = await dash.login("alice")
    second, _ = await dash.login("alice")
    async with aclosing(first), aclosing(second):
        r = await first.post("/moderate/password", data={
            "csrf_token": csrf, "current": PASSWORD, "new": "a brand new secret",
            "confirm": "a brand new secret"})
        assert r.status_code == 200 and "Password changed" in r.text
        assert (await first.get("/moderate/test/queue/pending")).status_code == 200
        assert (await second.get("/moderate/test/queue/pending")).status_code == 303
    again, _ = await dash.login("alice", "a brand new secret")
    await again.aclose()


async def test_next_is_never_an_open_redirect(dash):
    async with dash.client() as client:
        page = await client.get("/moderate/login", params={"next": "https://evil.example/x"})
        token = FORM_CSRF.search(page.text).group(1)
        r = await client.post("/moderate/login", data={
            "username": "alice", "password": PASSWORD, "csrf_token": token,
            "next": "//evil.example/x"})
        assert r.headers["location"] == "/moderate"
