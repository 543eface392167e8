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
