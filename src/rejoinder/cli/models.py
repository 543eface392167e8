"""``rejoinder models train | evaluate | adapt``: the on-server comment classifiers."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from rejoinder.analysis.adapt import JsonlLabelSource, adapt_site
from rejoinder.analysis.classifier import (
    ARTIFACTS_DIR,
    PRECISIONS,
    CommentClassifier,
    Precision,
)
from rejoinder.analysis.corpus import CORPUS_PATH, write_corpus
from rejoinder.analysis.training import evaluate, format_report, train
from rejoinder.cli.common import config_option, open_database, run, settings_from
from rejoinder.services.learning import StoreLabelSource

_artifacts_option = click.option(
    "--artifacts", type=click.Path(file_okay=False, path_type=Path), default=ARTIFACTS_DIR,
    show_default="the heads shipped in the package",
    help="Directory holding heads.npz and thresholds.json.")
_precision_option = click.option(
    "--precision", type=click.Choice(PRECISIONS), envvar="REJOINDER_CLASSIFIER_PRECISION",
    help="Encoder arithmetic [default: float32 for evaluate, int8 (the server's default) "
         "for adapt; REJOINDER_CLASSIFIER_PRECISION overrides both].")
_corpus_option = click.option(
    "--corpus", type=click.Path(dir_okay=False, path_type=Path), default=CORPUS_PATH,
    show_default="the corpus shipped in the package", help="Labelled JSONL corpus.")


@click.group()
def models() -> None:
    """Train, evaluate and adapt the comment classifiers."""


@models.command("corpus")
@_corpus_option
def corpus_cmd(corpus: Path) -> None:
    """Regenerate the labelled training corpus (deterministic)."""
    click.echo(f"wrote {write_corpus(corpus)} comments to {corpus}")


@models.command("profanity")
def profanity_cmd() -> None:
    """Copy the packaged profanity model (alt-profanity-check) into a numpy artifact."""
    from rejoinder.analysis.profanity import export_model

    click.echo(f"wrote {export_model()}")


@models.command("train")
@_artifacts_option
@_corpus_option
def train_cmd(artifacts: Path, corpus: Path) -> None:
    """Fit the category heads and choose thresholds; writes the artifacts."""
    result = train(artifacts, corpus)
    for category, threshold in result.thresholds.hold.items():
        click.echo(f"{category.value}: hold >= {threshold:.3f}, "
                   f"reject >= {result.thresholds.reject[category]}")
    click.echo(f"wrote {artifacts}")


@models.command("evaluate")
@_artifacts_option
@_corpus_option
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Also write the report as JSON here.")
@_precision_option
def evaluate_cmd(artifacts: Path, corpus: Path, output: Path | None,
                 precision: Precision | None) -> None:
    """Score the held-out topics and print ROC-AUC, precision and recall per category."""
    report = evaluate(artifacts, corpus, precision or "float32")
    click.echo(format_report(report))
    if output is not None:
        output.write_text(json.dumps(report, indent=2) + "\n")
        click.echo(f"wrote {output}")


@models.command("adapt")
@click.option("--site", "site_key", required=True, help="Site key.")
@click.option("--labels-file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="JSONL of decisions; default: the moderators' decisions in the database.")
@click.option("--data-dir", type=click.Path(file_okay=False, path_type=Path),
              envvar="REJOINDER_DATA_DIR",
              help="Where per-site heads are stored (default: the data_dir setting).")
@click.option("--min-labels", default=10, show_default=True, help="Per category.")
@_artifacts_option
@_precision_option
@config_option
def adapt_cmd(site_key: str, labels_file: Path | None, data_dir: Path | None, min_labels: int,
              artifacts: Path, precision: Precision | None, config_path: str | None) -> None:
    """Refit per-site heads from moderator decisions; keep them only if they do better.

    Run it on demand or from a scheduler (cron, a systemd timer); a running server picks up the
    new heads by itself.
    """
    classifier = CommentClassifier(artifacts, precision=precision or "int8")

    async def go() -> list[Any]:
        settings = settings_from(config_path) if labels_file is None or data_dir is None else None
        folder = data_dir or Path(settings.data_dir if settings else "")
        if not str(folder) or str(folder) == ".":
            raise click.UsageError("set --data-dir or the data_dir setting")
        if labels_file is not None:
            return await adapt_site(site_key, JsonlLabelSource(labels_file), folder,
                                    classifier, min_labels)
        assert settings is not None
        db = await open_database(settings)
        try:
            return await adapt_site(site_key, StoreLabelSource(db), folder, classifier,
                                    min_labels)
        finally:
            await db.dispose()

    results = run(go())
    if not results:
        click.echo(f"not enough labels (need {min_labels} per category)")
    for r in results:
        verdict = "adopted" if r.adopted else "kept the current head"
        click.echo(f"{r.category.value}: held-out score {r.old_score:.3f} -> {r.new_score:.3f} "
                   f"({r.train_size} fit, {r.holdout_size} held out): {verdict}")
