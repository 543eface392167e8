import json

import numpy as np

from rejoinder.analysis.adapt import (
    JsonlLabelSource,
    Label,
    adapt_head,
    adapt_site,
    load_site_heads,
)
from rejoinder.analysis.heads import fit_head
from rejoinder.analysis.scores import Category


def test_adapt_head_learns_a_site_specific_shift():
    rng = np.random.default_rng(1)
    x = rng.normal(size=(600, 6))
    base = fit_head(x, (x[:, 0] > 0).astype(float))
    y_site = (x[:, 1] > 0).astype(float)  # this site cares about something else
    _, old_q, new_q, n_hold = adapt_head(base, x[:200], y_site[:200], l2=0.1)
    assert n_hold == 60
    assert new_q > old_q + 0.2


def test_adapt_head_keeps_quality_when_labels_agree():
    rng = np.random.default_rng(2)
    x = rng.normal(size=(300, 4))
    y = (x[:, 0] > 0).astype(float)
    base = fit_head(x, y)
    _, old_q, new_q, _ = adapt_head(base, x[:100], y[:100])
    assert old_q > 0.95 and new_q > 0.95


async def test_adapt_site_stores_only_better_heads(classifier, tmp_path):
    # the site holds comments about crypto as spam even when polite: a shipped-head blind spot
    texts_pos = [f"Has anyone here tried the {c} token? Price went up {n} percent this week."
                 for c in ("moon", "star", "sun", "gold", "mint", "wave") for n in (5, 9, 14)]
    texts_neg = [f"The {t} article was interesting, the {s} part especially."
                 for t in ("budget", "stadium", "library") for s in ("first", "last", "middle",
                                                                     "data", "quote", "final")]
    path = tmp_path / "labels.jsonl"
    with path.open("w") as fh:
        for t in texts_pos:
            fh.write(json.dumps({"site": "blog", "category": "spam", "positive": True,
                                 "text": t}) + "\n")
        for t in texts_neg:
            fh.write(json.dumps({"site": "blog", "category": "spam", "positive": False,
                                 "text": t}) + "\n")
        fh.write(json.dumps({"site": "other", "category": "spam", "positive": True,
                             "text": "x"}) + "\n")
    source = JsonlLabelSource(path)
    labels = await source.labels("blog")
    assert len(labels) == 36 and all(isinstance(lab, Label) for lab in labels)
    results = await adapt_site("blog", source, tmp_path / "data", classifier)
    assert [r.category for r in results] == [Category.SPAM]
    r = results[0]
    assert r.adopted == (r.new_score > r.old_score)
    stored = load_site_heads(tmp_path / "data", "blog")
    assert ("spam" in stored) == r.adopted
