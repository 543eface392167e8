"""The MiniLM encoder as an onnxruntime graph built in memory from the numpy weights."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from rejoinder.analysis import onnx_proto as pb
from rejoinder.analysis.memory import return_large_buffers_to_the_system

if TYPE_CHECKING:
    import onnxruntime

HIDDEN = 384


class _Builder:
    def __init__(self, quantize: bool) -> None:
        self.nodes: list[bytes] = []
        self.inits: list[bytes] = []
        self.quantize = quantize
        self.external: dict[str, np.ndarray] = {}
        self._n = 0

    def const(self, name: str, array: np.ndarray, inline: bool = False) -> str:
        # large weights are handed over from memory, not serialised
        if array.size >= 4096 and not inline:
            self.external[name] = array
            self.inits.append(pb.external_tensor(name, array))
        else:
            self.inits.append(pb.tensor(name, np.asarray(array)))
        return name

    def op(self, op: str, *inputs: str, domain: str = "", **attrs: int | float | list[int]) -> str:
        self._n += 1
        out = f"t{self._n}"
        self.nodes.append(pb.node(op, inputs, [out], domain, **attrs))
        return out

    def dense(self, x: str, w: np.ndarray, b: np.ndarray, name: str) -> str:
        """x @ w.T + b for a (out, in) weight as stored in the checkpoint (no transposed copy)."""
        if not self.quantize:
            return self.op("Gemm", x, self.const(name + ".w", w), self.const(name + ".b", b),
                           transB=1)
        # symmetric per-output-column int8 weights; activations quantised at run time
        wt = np.asarray(w, dtype=np.float32).T
        scale = np.maximum(np.abs(wt).max(axis=0), 1e-8) / 127.0
        q = np.clip(np.round(wt / scale), -127, 127).astype(np.int8)
        # onnxruntime copies int8 arrays it is handed, so these are serialised instead
        return self.op("DynamicQuantizeMatMul", x, self.const(name + ".q", q, inline=True),
                       self.const(name + ".s", scale.astype(np.float32)),
                       self.const(name + ".z", np.zeros(wt.shape[1], dtype=np.int8)),
                       self.const(name + ".b", np.asarray(b)), domain="com.microsoft")

    def layer_norm(self, x: str, g: np.ndarray, b: np.ndarray, name: str) -> str:
        return self.op("LayerNormalization", x, self.const(name + ".g", g),
                       self.const(name + ".beta", b), axis=-1, epsilon=1e-12)


def build_session(w: dict[str, np.ndarray], heads: int, layers: int, quantize: bool = False,
                  threads: int = 0) -> tuple[onnxruntime.InferenceSession, list[Any]]:
    """A session over the checkpoint tensors ``w`` (names as in the safetensors file), and the
    OrtValues it was handed (keep them alive as long as the session)."""
    return_large_buffers_to_the_system()
    import onnxruntime

    g = _Builder(quantize)
    hd = HIDDEN // heads
    word = g.op("Gather", g.const("word", w["embeddings.word_embeddings.weight"]), "input_ids",
                axis=0)
    pos = g.op("Gather", g.const("pos", w["embeddings.position_embeddings.weight"]),
               "positions", axis=0)
    token_type = np.array(w["embeddings.token_type_embeddings.weight"][0])
    h = g.op("Add", g.op("Add", word, pos), g.const("type", token_type))
    h = g.layer_norm(h, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"], "emb")
    h = g.op("Reshape", h, "flat_shape")  # (n * len, hidden) from here on
    scale = g.const("scale", np.array(1.0 / np.sqrt(hd), dtype=np.float32))
    inv_sqrt2 = g.const("inv_sqrt2", np.array(0.7071067811865476, dtype=np.float32))
    one = g.const("one", np.array(1.0, dtype=np.float32))
    half = g.const("half", np.array(0.5, dtype=np.float32))
    for i in range(layers):
        p = f"encoder.layer.{i}."

        def lin(x: str, part: str, p: str = p, i: int = i) -> str:
            return g.dense(x, w[p + part + ".weight"], w[p + part + ".bias"], f"l{i}.{part}")

        def split_heads(x: str, perm: list[int]) -> str:
            return g.op("Transpose", g.op("Reshape", x, "head_shape"), perm=perm)

        q = split_heads(lin(h, "attention.self.query"), [0, 2, 1, 3])
        k = split_heads(lin(h, "attention.self.key"), [0, 2, 3, 1])
        v = split_heads(lin(h, "attention.self.value"), [0, 2, 1, 3])
        scores = g.op("Add", g.op("Mul", g.op("MatMul", q, k), scale), "mask_bias")
        ctx = g.op("MatMul", g.op("Softmax", scores, axis=-1), v)
        ctx = g.op("Reshape", g.op("Transpose", ctx, perm=[0, 2, 1, 3]), "flat_shape")
        att = lin(ctx, "attention.output.dense")
        h = g.layer_norm(g.op("Add", att, h), w[p + "attention.output.LayerNorm.weight"],
                         w[p + "attention.output.LayerNorm.bias"], f"l{i}.ln1")
        up = lin(h, "intermediate.dense")
        erf = g.op("Erf", g.op("Mul", up, inv_sqrt2))
        act = g.op("Mul", g.op("Mul", up, g.op("Add", erf, one)), half)
        down = lin(act, "output.dense")
        h = g.layer_norm(g.op("Add", down, h), w[p + "output.LayerNorm.weight"],
                         w[p + "output.LayerNorm.bias"], f"l{i}.ln2")
    g.nodes.append(pb.node("Reshape", [h, "out_shape"], ["hidden"]))
    model = pb.model(
        g.nodes, g.inits,
        inputs=[pb.value_info("input_ids", pb.INT64, ["n", "len"]),
                pb.value_info("positions", pb.INT64, ["len"]),
                pb.value_info("mask_bias", pb.FLOAT, ["n", 1, 1, "len"]),
                pb.value_info("flat_shape", pb.INT64, [2]),
                pb.value_info("head_shape", pb.INT64, [4]),
                pb.value_info("out_shape", pb.INT64, [3])],
        outputs=[pb.value_info("hidden", pb.FLOAT, ["n", "len", HIDDEN])],
        opsets={"": 17, "com.microsoft": 1})
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.enable_cpu_mem_arena = False
    options.enable_mem_pattern = False  # shapes vary with every batch: nothing to reuse
    # Idle worker threads must sleep, not spin: they share two cores with the event loop.
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_ALL
    values = [onnxruntime.OrtValue.ortvalue_from_numpy(a) for a in g.external.values()]
    options.add_external_initializers(list(g.external), values)
    session = onnxruntime.InferenceSession(model, options, providers=["CPUExecutionProvider"])
    return session, values


def run_session(session: onnxruntime.InferenceSession, ids: np.ndarray, mask: np.ndarray,
                heads: int) -> np.ndarray:
    n, length = ids.shape
    bias = ((1.0 - mask) * np.float32(-1e9))[:, None, None, :].astype(np.float32)
    positions = np.arange(length, dtype=np.int64)
    (hidden,) = session.run(None, {
        "input_ids": ids, "positions": positions, "mask_bias": bias,
        "flat_shape": np.array([n * length, HIDDEN], dtype=np.int64),
        "head_shape": np.array([n, length, heads, HIDDEN // heads], dtype=np.int64),
        "out_shape": np.array([n, length, HIDDEN], dtype=np.int64)})
    return hidden
