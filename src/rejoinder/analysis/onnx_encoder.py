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
        return self.ops(op, *inputs, count=1, domain=domain, **attrs)[0]

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

    def ops(self, op: str, *inputs: str, count: int, domain: str = "",
            **attrs: int | float | list[int]) -> list[str]:
        outs = [f"t{self._n + 1 + j}" for j in range(count)]
        self._n += count
        self.nodes.append(pb.node(op, inputs, outs, domain, **attrs))
        return outs

    def residual_norm(self, x: str, skip: str, g: np.ndarray, b: np.ndarray, name: str) -> str:
        # not onnxruntime's SkipLayerNormalization: on this 2-D layout it took 4× as long
        return self.layer_norm(self.op("Add", x, skip), g, b, name)

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
    word = g.op("Gather", g.const("word", w["embeddings.word_embeddings.weight"]), "input_ids",
                axis=0)
    pos = g.op("Gather", g.const("pos", w["embeddings.position_embeddings.weight"]),
               "positions", axis=0)
    token_type = np.array(w["embeddings.token_type_embeddings.weight"][0])
    h = g.op("Add", g.op("Add", word, pos), g.const("type", token_type))
    h = g.layer_norm(h, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"], "emb")
    h = g.op("Reshape", h, "flat_shape")  # (n * len, hidden) from here on
    for i in range(layers):
        p = f"encoder.layer.{i}."
        att = p + "attention.self."
        qkv_w = np.concatenate([w[att + part + ".weight"] for part in ("query", "key", "value")])
        qkv_b = np.concatenate([w[att + part + ".bias"] for part in ("query", "key", "value")])
        # one projection for query, key and value: the activations are quantised once, not 3×
        qkv = g.op("Reshape", g.dense(h, qkv_w, qkv_b, f"l{i}.qkv"), "qkv_shape")
        q, k, v = g.ops("Split", qkv, count=3, axis=2)
        # one kernel for scaling, masking, softmax and both products, over all heads
        ctx = g.op("MultiHeadAttention", q, k, v, "", "", "attention_bias",
                   domain="com.microsoft", num_heads=heads)
        att_out = g.dense(g.op("Reshape", ctx, "flat_shape"),
                          w[p + "attention.output.dense.weight"],
                          w[p + "attention.output.dense.bias"], f"l{i}.out")
        h = g.residual_norm(att_out, h, w[p + "attention.output.LayerNorm.weight"],
                              w[p + "attention.output.LayerNorm.bias"], f"l{i}.ln1")
        up = g.op("Gelu", g.dense(h, w[p + "intermediate.dense.weight"],
                                  w[p + "intermediate.dense.bias"], f"l{i}.up"),
                  domain="com.microsoft")
        down = g.dense(up, w[p + "output.dense.weight"], w[p + "output.dense.bias"],
                       f"l{i}.down")
        h = g.residual_norm(down, h, w[p + "output.LayerNorm.weight"],
                              w[p + "output.LayerNorm.bias"], f"l{i}.ln2")
    g.nodes.append(pb.node("Reshape", [h, "out_shape"], ["hidden"]))
    model = pb.model(
        g.nodes, g.inits,
        inputs=[pb.value_info("input_ids", pb.INT64, ["n", "len"]),
                pb.value_info("positions", pb.INT64, ["len"]),
                pb.value_info("attention_bias", pb.FLOAT, ["n", 1, "len", "len"]),
                pb.value_info("flat_shape", pb.INT64, [2]),
                pb.value_info("qkv_shape", pb.INT64, [3]),
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


def run_session(session: onnxruntime.InferenceSession, ids: np.ndarray,
                mask: np.ndarray) -> np.ndarray:
    n, length = ids.shape
    padding = ((1.0 - mask) * np.float32(-1e9)).astype(np.float32)
    bias = np.ascontiguousarray(np.broadcast_to(padding[:, None, None, :], (n, 1, length, length)))
    positions = np.arange(length, dtype=np.int64)
    (hidden,) = session.run(None, {
        "input_ids": ids, "positions": positions, "attention_bias": bias,
        "flat_shape": np.array([n * length, HIDDEN], dtype=np.int64),
        "qkv_shape": np.array([n, length, 3 * HIDDEN], dtype=np.int64),
        "out_shape": np.array([n, length, HIDDEN], dtype=np.int64)})
    return hidden
