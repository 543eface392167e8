import numpy as np

from rejoinder.analysis.heads import fit_head, load_heads, save_heads
from rejoinder.analysis.metrics import choose_threshold, precision_recall, roc_auc


def test_fit_separates_and_roundtrips(tmp_path):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(400, 5))
    y = (x[:, 0] + 0.5 * x[:, 1] > 0).astype(float)
    head = fit_head(x, y)
    assert roc_auc(y, head.predict(x)) > 0.98
    save_heads(tmp_path / "h.npz", {"toxicity": head})
    again = load_heads(tmp_path / "h.npz")["toxicity"]
    np.testing.assert_allclose(again.predict(x), head.predict(x), rtol=1e-6)


def test_roc_auc_known_values():
    assert roc_auc(np.array([0, 0, 1, 1]), np.array([0.1, 0.2, 0.8, 0.9])) == 1.0
    assert roc_auc(np.array([0, 0, 1, 1]), np.array([0.9, 0.8, 0.2, 0.1])) == 0.0
    assert roc_auc(np.array([0, 1]), np.array([0.5, 0.5])) == 0.5
    assert np.isnan(roc_auc(np.array([1, 1]), np.array([0.2, 0.3])))


def test_precision_recall_and_threshold_choice():
    y = np.array([0, 0, 0, 1, 1, 1])
    p = np.array([0.1, 0.6, 0.7, 0.65, 0.8, 0.9])
    assert precision_recall(y, p, 0.75) == (1.0, 2 / 3)
    t = choose_threshold(y, p, min_precision=0.99)
    assert precision_recall(y, p, t)[0] == 1.0
    assert t == 0.8
