from __future__ import annotations

from click.testing import CliRunner

from rejoinder.analysis.scores import Category
from rejoinder.cli import main
from rejoinder.services.learning import StoreLabelSource, labels_from_decisions
from rejoinder.store import moderation_queries as mq
from tests.helpers import post


def test_decisions_become_category_labels():
    labels = labels_from_decisions([
        ("approve", "fine words"), ("reject", "nasty words"), ("spam", "buy pills"),
        ("flag_confirmed", "rude"), ("delete", "gone"), ("approve", ""),
    ])
    positives = {(lab.category, lab.text) for lab in labels if lab.positive}
    assert positives == {(Category.TOXICITY, "nasty words"), (Category.SPAM, "buy pills"),
                         (Category.TOXICITY, "rude")}
    negatives = {lab.category for lab in labels if not lab.positive}
    assert negatives == {Category.TOXICITY, Category.THREAT, Category.IDENTITY_ATTACK,
                         Category.SPAM}
    assert all(lab.text for lab in labels)


async def test_labels_come_from_the_moderators_decisions(client):
    ids = [(await post(client, f"comment number {n}")).json()["comment"]["id"] for n in range(3)]
    site = await client.services.sites.require("test")
    async with client.services.db.write() as conn:
        await mq.add_label(conn, comment_id=ids[0], site_id=site.id, label="approve", text="ok")
        await mq.add_label(conn, comment_id=ids[1], site_id=site.id, label="spam", text="pills")
    labels = await StoreLabelSource(client.services.db).labels("test")
    assert (Category.SPAM, True, "pills") in {(lab.category, lab.positive, lab.text)
                                              for lab in labels}
    assert sum(1 for lab in labels if not lab.positive) == 4


def test_adapt_reads_the_database_and_refuses_too_few_labels(tmp_path, sqlite_url):
    config = tmp_path / "r.toml"
    config.write_text(f'database_url = "{sqlite_url}"\nsecret_key = "s"\n'
                      f'data_dir = "{tmp_path / "data"}"\n')
    runner = CliRunner()
    assert runner.invoke(main, ["site", "add", "blog", "-c", str(config)]).exit_code == 0
    result = runner.invoke(main, ["models", "adapt", "--site", "blog", "-c", str(config)])
    assert result.exit_code == 0, result.output
    assert "not enough labels" in result.output
