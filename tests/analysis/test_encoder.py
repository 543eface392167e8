import json
import subprocess
import sys
from pathlib import Path

import numpy as np

FIXTURE = Path(__file__).parents[1] / "fixtures" / "analysis" / "minilm_reference.json"


def test_vectors_match_sentence_transformers_reference(classifier):
    ref = json.loads(FIXTURE.read_text())
    assert len(ref["sentences"]) >= 20
    ours = classifier.embed(ref["sentences"])
    theirs = np.array(ref["vectors"], dtype=np.float32)
    cosines = (ours * theirs).sum(axis=1) / np.linalg.norm(theirs, axis=1)
    assert cosines.min() > 0.99, list(zip(ref["sentences"], cosines, strict=True))


def test_vectors_are_unit_length_and_order_preserved(classifier):
    texts = ["a much longer sentence about the budget and the ceasefire talks", "short", ""]
    batch = classifier.embed(texts)
    assert batch.shape == (3, 384)
    np.testing.assert_allclose(np.linalg.norm(batch, axis=1), 1.0, atol=1e-5)
    single = classifier.embed([texts[1]])
    np.testing.assert_allclose(batch[1], single[0], atol=1e-5)


def test_empty_batch(classifier):
    assert classifier.embed([]).shape == (0, 384)


def test_scoring_never_imports_torch():
    code = ("import sys\n"
            "from rejoinder.analysis.classifier import CommentClassifier\n"
            "CommentClassifier().score('you are an idiot')\n"
            "bad = [m for m in sys.modules if m == 'torch' or m.startswith('torch.')\n"
            "       or m.startswith('sentence_transformers') or m.startswith('transformers')]\n"
            "print(bad)\n"
            "sys.exit(1 if bad else 0)\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr


def test_numpy_backend_matches_onnx_backend(classifier):
    from rejoinder.analysis.encoder import SentenceEncoder

    ref = json.loads(FIXTURE.read_text())
    plain = SentenceEncoder(backend="numpy")
    assert plain.backend == "numpy" and classifier.encoder.backend == "onnx"
    a = plain.encode(ref["sentences"][:8])
    b = classifier.embed(ref["sentences"][:8])
    assert ((a * b).sum(axis=1)).min() > 0.9999


def test_int8_backend_stays_close(classifier):
    from rejoinder.analysis.encoder import SentenceEncoder

    ref = json.loads(FIXTURE.read_text())
    small = SentenceEncoder(quantize=True)
    theirs = np.array(ref["vectors"], dtype=np.float32)
    assert ((small.encode(ref["sentences"]) * theirs).sum(axis=1)).min() > 0.95


def test_long_and_short_texts_in_one_call_match_single_calls(classifier):
    texts = ["short one", "word " * 400, "a medium comment about the council budget " * 5, ""]
    together = classifier.encoder.encode(texts, batch_size=3, token_budget=600)
    for text, vec in zip(texts, together, strict=True):
        np.testing.assert_allclose(vec, classifier.embed([text])[0], atol=1e-4)
