"""``rejoinder models train | evaluate | adapt``: the on-server comment classifiers."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import click

from rejoinder.analysis.adapt import JsonlLabelSource, adapt_site
from rejoinder.analysis.classifier import ARTIFACTS_DIR, CommentClassifier
from rejoinder.analysis.corpus import CORPUS_PATH, write_corpus
from rejoinder.analysis.training import evaluate, format_report, train

_artifacts_option = click.option(
    "--artifacts", type=click.Path(file_okay=False, path_type=Path), default=ARTIFACTS_DIR,
    show_default=True, help="Directory holding heads.npz and thresholds.json.")
_corpus_option = click.option(
    "--corpus", type=click.Path(dir_okay=False, path_type=Path), default=CORPUS_PATH,
    show_default=True, help="Labelled JSONL corpus.")


@click.group()
def models() -> None:
    """Train, evaluate and adapt the comment classifiers."""


@models.command("corpus")
@_corpus_option
def corpus_cmd(corpus: Path) -> None:
    """Regenerate the labelled training corpus (deterministic)."""
    click.echo(f"wrote {write_corpus(corpus)} comments to {corpus}")


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
def evaluate_cmd(artifacts: Path, corpus: Path, output: Path | None) -> None:
    """Score the held-out topics and print ROC-AUC, precision and recall per category."""
    report = evaluate(artifacts, corpus)
    click.echo(format_report(report))
    if output is not None:
        output.write_text(json.dumps(report, indent=2) + "\n")
        click.echo(f"wrote {output}")


@models.command("adapt")
@click.option("--site", "site_key", required=True, help="Site key.")
@click.option("--labels-file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              required=True, help="JSONL of moderator decisions.")
@click.option("--data-dir", type=click.Path(file_okay=False, path_type=Path), required=True,
              envvar="REJOINDER_DATA_DIR", help="Where per-site heads are stored.")
@click.option("--min-labels", default=10, show_default=True, help="Per category.")
@_artifacts_option
def adapt_cmd(site_key: str, labels_file: Path, data_dir: Path, min_labels: int,
              artifacts: Path) -> None:
    """Refit per-site heads from moderator decisions; keep them only if they do better."""
    classifier = CommentClassifier(artifacts)
    results = asyncio.run(adapt_site(site_key, JsonlLabelSource(labels_file), data_dir,
                                     classifier, min_labels))
    if not results:
        click.echo(f"not enough labels (need {min_labels} per category)")
    for r in results:
        verdict = "adopted" if r.adopted else "kept the current head"
        click.echo(f"{r.category.value}: held-out score {r.old_score:.3f} -> {r.new_score:.3f} "
                   f"({r.train_size} fit, {r.holdout_size} held out): {verdict}")
