import json

import pytest
from click.testing import CliRunner

from rejoinder.cli.models import models


@pytest.mark.slow
def test_train_and_evaluate_reproduce_the_shipped_quality(tmp_path):
    runner = CliRunner()
    out = runner.invoke(models, ["train", "--artifacts", str(tmp_path)])
    assert out.exit_code == 0, out.output
    assert (tmp_path / "heads.npz").stat().st_size < 5_000_000
    report_path = tmp_path / "report.json"
    out = runner.invoke(models, ["evaluate", "--artifacts", str(tmp_path),
                                 "--output", str(report_path)])
    assert out.exit_code == 0, out.output
    assert "ROC-AUC" in out.output
    report = json.loads(report_path.read_text())
    for name, m in report["categories"].items():
        assert m["roc_auc"] > 0.95, name
        assert m["precision"] > 0.8, name
    assert report["heated_civil_fpr"] < 0.05


@pytest.mark.slow
def test_shipped_heads_keep_their_quality_on_int8_embeddings(tmp_path, monkeypatch):
    # an empty cache: float32 embeddings of the corpus must not be reused for int8
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    report_path = tmp_path / "report.json"
    out = CliRunner().invoke(models, ["evaluate", "--precision", "int8",
                                      "--output", str(report_path)])
    assert out.exit_code == 0, out.output
    assert list(tmp_path.glob("rejoinder/embeddings-*-int8.npy"))
    report = json.loads(report_path.read_text())
    for name, m in report["categories"].items():
        assert m["roc_auc"] > 0.95, name
        assert m["precision"] > 0.8, name
    assert report["heated_civil_fpr"] < 0.05
