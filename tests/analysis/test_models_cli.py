import json

from click.testing import CliRunner

from rejoinder.cli.models import models


def test_help_lists_commands():
    out = CliRunner().invoke(models, ["--help"])
    assert out.exit_code == 0
    for name in ("train", "evaluate", "adapt", "corpus"):
        assert name in out.output


def test_adapt_with_too_few_labels(tmp_path):
    labels = tmp_path / "labels.jsonl"
    labels.write_text(json.dumps({"category": "spam", "positive": True, "text": "buy"}) + "\n")
    out = CliRunner().invoke(models, ["adapt", "--site", "blog", "--labels-file", str(labels),
                                      "--data-dir", str(tmp_path / "data")])
    assert out.exit_code == 0, out.output
    assert "not enough labels" in out.output
    assert not (tmp_path / "data").exists()


def test_adapt_requires_site():
    out = CliRunner().invoke(models, ["adapt", "--labels-file", "nope.jsonl"])
    assert out.exit_code != 0
