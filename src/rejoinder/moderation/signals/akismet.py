"""Akismet comment-check adapter (off unless an API key is configured).

Protocol: ``POST {base_url}/1.1/comment-check``, form-encoded; the body answers ``true`` (spam)
or ``false`` (ham); ``X-akismet-pro-tip: discard`` marks blatant spam that can be dropped
unseen. Anything else (``invalid``, an HTTP error, a timeout) is a failure handled by
``fail_mode``. Spam is held for a moderator; blatant spam is rejected.
"""

from __future__ import annotations

from dataclasses import dataclass

import httpx

from rejoinder.domain.decision import SignalResult, Submission, Verdict
from rejoinder.moderation.context import ModerationContext
from rejoinder.moderation.signals.external import FailMode, unavailable


@dataclass(frozen=True, slots=True)
class AkismetConfig:
    api_key: str
    blog: str  # the site's front page URL, as registered with Akismet
    base_url: str = "https://rest.akismet.com"
    timeout_seconds: float = 3.0
    fail_mode: FailMode = FailMode.OPEN
    is_test: bool = False  # sends is_test=1: Akismet does not learn from these calls


class AkismetSignal:
    name = "akismet"
    cost = 1000

    def __init__(self, config: AkismetConfig, client: httpx.AsyncClient | None = None) -> None:
        self.config = config
        self._client = client or httpx.AsyncClient()

    async def aclose(self) -> None:
        await self._client.aclose()

    def form(self, submission: Submission) -> dict[str, str]:
        fields = {
            "api_key": self.config.api_key,
            "blog": self.config.blog,
            "user_ip": submission.ip or "",
            "comment_type": "reply" if submission.parent_id is not None else "comment",
            "comment_content": submission.text,
            "comment_author": submission.author_name or "",
            "comment_author_email": submission.author_email or "",
            "comment_author_url": submission.author_website or "",
            "permalink": submission.thread_uri,
            "blog_charset": "UTF-8",
        }
        if submission.submitted_at is not None:
            fields["comment_date_gmt"] = submission.submitted_at.isoformat()
        if self.config.is_test:
            fields["is_test"] = "1"
        return {k: v for k, v in fields.items() if v}

    async def assess(
        self, submission: Submission, context: ModerationContext
    ) -> list[SignalResult]:
        url = self.config.base_url.rstrip("/") + "/1.1/comment-check"
        try:
            response = await self._client.post(
                url, data=self.form(submission), timeout=self.config.timeout_seconds
            )
            response.raise_for_status()
        except httpx.TimeoutException:
            return [unavailable(self.name, self.config.fail_mode, "Akismet timed out")]
        except httpx.HTTPError as exc:
            return [unavailable(self.name, self.config.fail_mode, f"Akismet error: {exc}")]
        answer = response.text.strip()
        if answer == "false":
            return [SignalResult(self.name, 0.0, Verdict.PUBLISH, "Akismet: not spam")]
        if answer == "true":
            if response.headers.get("x-akismet-pro-tip", "").lower() == "discard":
                return [SignalResult(self.name, 1.0, Verdict.REJECT, "Akismet: blatant spam")]
            return [SignalResult(self.name, 0.9, Verdict.HOLD, "Akismet: spam")]
        help_text = response.headers.get("x-akismet-debug-help", answer[:80])
        return [unavailable(self.name, self.config.fail_mode, f"Akismet answered {help_text}")]
