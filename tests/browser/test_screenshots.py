"""Screenshots of the demo discussion for docs/embedding.md: light and dark, desktop and phone."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser.conftest import wait_ready

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize(("device", "width"), [("desktop", 1280), ("phone", 390)])
def test_screenshot(live, browser, scheme, device, width):
    context = browser.new_context(
        viewport={"width": width, "height": 1000}, color_scheme=scheme,
        device_scale_factor=1 if device == "desktop" else 2,
    )
    try:
        page = context.new_page()
        page.goto(live.base + "/articles/car-free-old-town")
        wait_ready(page)
        box = page.locator("#comments").bounding_box()
        assert box is not None and box["height"] > 500
        background = page.evaluate("""() => getComputedStyle(
            document.querySelector('#rejoinder').shadowRoot.querySelector('.rj')).backgroundColor""")
        assert (background == "rgb(255, 255, 255)") == (scheme == "light")
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(
            path=str(SHOTS / f"widget-{scheme}-{device}.png"), full_page=True,
            clip={"x": 0, "y": box["y"] - 16, "width": width, "height": 1100},
        )
    finally:
        context.close()
