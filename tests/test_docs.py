"""The reference docs are generated from the code; these tests fail when they drift."""

from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _gen_docs():
    spec = importlib.util.spec_from_file_location("gen_docs", ROOT / "scripts" / "gen_docs.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_generated_docs_are_current():
    gen = _gen_docs()
    for name, make in gen.GENERATED.items():
        assert (ROOT / "docs" / name).read_text(encoding="utf-8") == make(), (
            f"docs/{name} is stale: run python scripts/gen_docs.py"
        )


def test_every_setting_is_documented():
    from rejoinder.settings import SETTINGS

    text = (ROOT / "docs" / "settings.md").read_text(encoding="utf-8")
    for setting in SETTINGS:
        assert f"## {setting.name}\n" in text and setting.env in text
