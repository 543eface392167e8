"""The MiniLM encoder as an onnxruntime graph built in memory from the numpy weights."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from rejoinder.analysis import onnx_proto as pb

if TYPE_CHECKING:
    import onnxruntime

    from rejoinder.analysis.encoder import SentenceEncoder

HIDDEN = 384


class _Builder:
    def __init__(self, quantize: bool) -> None:
        self.nodes: list[bytes] = []
        self.inits: list[bytes] = []
        self.quantize = quantize
        self.external: dict[str, np.ndarray] = {}
        self._n = 0

    def const(self, name: str, array: np.ndarray) -> str:
        if array.size >= 4096:  # weights stay in our arrays; the session is handed them
            self.external[name] = np.ascontiguousarray(array)
            self.inits.append(pb.external_tensor(name, array))
        else:
            self.inits.append(pb.tensor(name, array))
        return name

    def op(self, op: str, *inputs: str, domain: str = "", **attrs: int | float | list[int]) -> str:
        self._n += 1
        out = f"t{self._n}"
        self.nodes.append(pb.node(op, inputs, [out], domain, **attrs))
        return out

    def dense(self, x: str, w: np.ndarray, b: np.ndarray, name: str) -> str:
        if not self.quantize:
            return self.op("Add", self.op("MatMul", x, self.const(name + ".w", w)),
                           self.const(name + ".b", b))
        # symmetric per-output-column int8 weights; activations quantised at run time
        scale = np.maximum(np.abs(w).max(axis=0), 1e-8) / 127.0
        q = np.clip(np.round(w / scale), -127, 127).astype(np.int8)
        return self.op("DynamicQuantizeMatMul", x, self.const(name + ".q", q),
                       self.const(name + ".s", scale.astype(np.float32)),
                       self.const(name + ".z", np.zeros(w.shape[1], dtype=np.int8)),
                       self.const(name + ".b", b), domain="com.microsoft")

    def layer_norm(self, x: str, g: np.ndarray, b: np.ndarray, name: str) -> str:
        return self.op("LayerNormalization", x, self.const(name + ".g", g),
                       self.const(name + ".beta", b), axis=-1, epsilon=1e-12)


def build_session(enc: SentenceEncoder, quantize: bool = False,
                  threads: int = 0) -> tuple[onnxruntime.InferenceSession, list[Any]]:
    """The session and the OrtValues it reads its weights from (keep them alive with it)."""
    import onnxruntime

    g = _Builder(quantize)
    heads, hd = enc.heads, HIDDEN // enc.heads
    word = g.op("Gather", g.const("word", enc.word), "input_ids", axis=0)
    pos = g.op("Gather", g.const("pos", enc.position), "positions", axis=0)
    h = g.op("Add", g.op("Add", word, pos), g.const("type", enc.token_type))
    h = g.layer_norm(h, *enc.emb_ln, "emb")
    qkv_shape = g.const("qkv_shape", np.array([0, 0, 3, heads, hd], dtype=np.int64))
    ctx_shape = g.const("ctx_shape", np.array([0, 0, HIDDEN], dtype=np.int64))
    scale = g.const("scale", np.array(1.0 / np.sqrt(hd), dtype=np.float32))
    idx = [g.const(f"i{i}", np.array(i, dtype=np.int64)) for i in range(3)]
    inv_sqrt2 = g.const("inv_sqrt2", np.array(0.7071067811865476, dtype=np.float32))
    one = g.const("one", np.array(1.0, dtype=np.float32))
    half = g.const("half", np.array(0.5, dtype=np.float32))
    for i, layer in enumerate(enc.layers):
        qkv = g.op("Reshape", g.dense(h, layer.qkv_w, layer.qkv_b, f"l{i}.qkv"), qkv_shape)
        qkv = g.op("Transpose", qkv, perm=[2, 0, 3, 1, 4])  # (3, n, heads, len, hd)
        q, k, v = (g.op("Gather", qkv, idx[j], axis=0) for j in range(3))
        scores = g.op("MatMul", q, g.op("Transpose", k, perm=[0, 1, 3, 2]))
        scores = g.op("Add", g.op("Mul", scores, scale), "mask_bias")
        ctx = g.op("MatMul", g.op("Softmax", scores, axis=-1), v)
        ctx = g.op("Reshape", g.op("Transpose", ctx, perm=[0, 2, 1, 3]), ctx_shape)
        att = g.dense(ctx, layer.out_w, layer.out_b, f"l{i}.out")
        h = g.layer_norm(g.op("Add", att, h), layer.ln1_g, layer.ln1_b, f"l{i}.ln1")
        up = g.dense(h, layer.up_w, layer.up_b, f"l{i}.up")
        erf = g.op("Erf", g.op("Mul", up, inv_sqrt2))
        act = g.op("Mul", g.op("Mul", up, g.op("Add", erf, one)), half)
        down = g.dense(act, layer.down_w, layer.down_b, f"l{i}.down")
        h = g.layer_norm(g.op("Add", down, h), layer.ln2_g, layer.ln2_b, f"l{i}.ln2")
    g.nodes.append(pb.node("Identity", [h], ["hidden"]))
    model = pb.model(
        g.nodes, g.inits,
        inputs=[pb.value_info("input_ids", pb.INT64, ["n", "len"]),
                pb.value_info("positions", pb.INT64, ["len"]),
                pb.value_info("mask_bias", pb.FLOAT, ["n", 1, 1, "len"])],
        outputs=[pb.value_info("hidden", pb.FLOAT, ["n", "len", HIDDEN])],
        opsets={"": 17, "com.microsoft": 1})
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.enable_cpu_mem_arena = False  # keeps resident memory near the weights' size
    options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_ALL
    values = [onnxruntime.OrtValue.ortvalue_from_numpy(a) for a in g.external.values()]
    options.add_external_initializers(list(g.external), values)
    session = onnxruntime.InferenceSession(model, options, providers=["CPUExecutionProvider"])
    return session, values


def run_session(session: onnxruntime.InferenceSession, ids: np.ndarray,
                mask: np.ndarray) -> np.ndarray:
    bias = ((1.0 - mask) * np.float32(-1e9))[:, None, None, :].astype(np.float32)
    positions = np.arange(ids.shape[1], dtype=np.int64)
    (hidden,) = session.run(None, {"input_ids": ids, "positions": positions,
                                   "mask_bias": bias})
    return hidden
