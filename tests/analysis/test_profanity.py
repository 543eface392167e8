from __future__ import annotations

import json
import subprocess
import sys

import numpy as np

from rejoinder.analysis.corpus import CORPUS_PATH
from rejoinder.analysis.profanity import ProfanityModel


def test_numpy_model_matches_the_packaged_scikit_learn_model():
    from profanity_check import predict_prob

    with open(CORPUS_PATH, encoding="utf-8") as corpus:
        texts = [json.loads(line)["text"] for _, line in zip(range(400), corpus, strict=False)]
    texts += ["you are a f***ing idiot", "Damn right!", ".", "ok", "ÜBER shit"]
    ours = ProfanityModel().predict_prob(texts)
    theirs = predict_prob(texts)
    assert np.max(np.abs(ours - theirs)) < 1e-6


def test_scoring_does_not_import_scikit_learn():
    code = (
        "import sys\n"
        "from rejoinder.analysis.features import text_features\n"
        "text_features(['what the hell is this'])\n"
        "print(sorted(m for m in ('sklearn', 'scipy', 'joblib') if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.strip()
    assert out == "[]"
