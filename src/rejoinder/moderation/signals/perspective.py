"""Perspective API adapter (off unless an API key is configured).

Protocol: ``POST {base_url}/v1alpha1/comments:analyze?key=KEY`` with
``{"comment": {"text": ...}, "requestedAttributes": {"TOXICITY": {}}, "doNotStore": true}``;
the answer carries ``attributeScores.TOXICITY.summaryScore.value`` in [0, 1]. The score is
always recorded; ``hold_at``/``reject_at`` (or the site's ``score_thresholds["perspective"]``)
decide what it suggests.
"""

from __future__ import annotations

from dataclasses import dataclass

import httpx

from rejoinder.domain.decision import SignalResult, Submission
from rejoinder.moderation.context import ModerationContext
from rejoinder.moderation.settings import Thresholds
from rejoinder.moderation.signals.external import FailMode, unavailable


@dataclass(frozen=True, slots=True)
class PerspectiveConfig:
    api_key: str
    base_url: str = "https://commentanalyzer.googleapis.com"
    attribute: str = "TOXICITY"
    hold_at: float | None = 0.8
    reject_at: float | None = None
    languages: tuple[str, ...] = ()  # empty: Perspective detects the language
    timeout_seconds: float = 3.0
    fail_mode: FailMode = FailMode.OPEN


class PerspectiveSignal:
    name = "perspective"
    cost = 1000

    def __init__(
        self, config: PerspectiveConfig, client: httpx.AsyncClient | None = None
    ) -> None:
        self.config = config
        self._client = client or httpx.AsyncClient()

    async def aclose(self) -> None:
        await self._client.aclose()

    def body(self, submission: Submission) -> dict[str, object]:
        body: dict[str, object] = {
            "comment": {"text": submission.text},
            "requestedAttributes": {self.config.attribute: {}},
            "doNotStore": True,
        }
        if self.config.languages:
            body["languages"] = list(self.config.languages)
        return body

    async def assess(
        self, submission: Submission, context: ModerationContext
    ) -> list[SignalResult]:
        cfg = self.config
        url = cfg.base_url.rstrip("/") + "/v1alpha1/comments:analyze"
        try:
            response = await self._client.post(
                url, params={"key": cfg.api_key}, json=self.body(submission),
                timeout=cfg.timeout_seconds,
            )
            response.raise_for_status()
            score = float(
                response.json()["attributeScores"][cfg.attribute]["summaryScore"]["value"]
            )
        except httpx.TimeoutException:
            return [unavailable(self.name, cfg.fail_mode, "Perspective timed out")]
        except (httpx.HTTPError, ValueError, KeyError, TypeError) as exc:
            return [unavailable(self.name, cfg.fail_mode, f"Perspective error: {exc}")]
        verdict = Thresholds(hold=cfg.hold_at, reject=cfg.reject_at).verdict(score)
        reason = f"Perspective {cfg.attribute.lower()} {score:.2f}"
        return [SignalResult(self.name, min(max(score, 0.0), 1.0), verdict, reason)]
