"""A minimal writer for the ONNX protobuf messages the encoder graph needs.

onnxruntime loads a serialised ModelProto from bytes, so the graph is built here at load time
from the packaged safetensors weights: no ``onnx`` package and no exported model file needed.
Field numbers follow onnx.proto (ModelProto, GraphProto, NodeProto, AttributeProto,
TensorProto, ValueInfoProto, TypeProto).
"""

from __future__ import annotations

import struct
from collections.abc import Sequence

import numpy as np

FLOAT, UINT8, INT8, INT64 = 1, 2, 3, 7
_NP_TYPES = {np.dtype(np.float32): FLOAT, np.dtype(np.uint8): UINT8,
             np.dtype(np.int8): INT8, np.dtype(np.int64): INT64}


def _varint(value: int) -> bytes:
    value &= (1 << 64) - 1  # negative int64 values use ten bytes, two's complement
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def _key(field: int, wire: int) -> bytes:
    return _varint((field << 3) | wire)


def _int(field: int, value: int) -> bytes:
    return _key(field, 0) + _varint(value)


def _bytes(field: int, value: bytes) -> bytes:
    return _key(field, 2) + _varint(len(value)) + value


def _str(field: int, value: str) -> bytes:
    return _bytes(field, value.encode())


def tensor(name: str, array: np.ndarray) -> bytes:
    array = np.array(array, order="C")  # keeps 0-d arrays scalar
    dims = b"".join(_int(1, d) for d in array.shape)
    return dims + _int(2, _NP_TYPES[array.dtype]) + _str(8, name) + _bytes(9, array.tobytes())


def external_tensor(name: str, array: np.ndarray) -> bytes:
    """A declaration whose data the session receives from memory (add_external_initializers)."""
    dims = b"".join(_int(1, d) for d in array.shape)
    location = _bytes(13, _str(1, "location") + _str(2, f"{name}.bin"))
    return dims + _int(2, _NP_TYPES[array.dtype]) + _str(8, name) + location + _int(14, 1)


def attribute(name: str, value: int | float | Sequence[int]) -> bytes:
    if isinstance(value, float):
        return _str(1, name) + _key(2, 5) + struct.pack("<f", value) + _int(20, 1)
    if isinstance(value, int):
        return _str(1, name) + _int(3, value) + _int(20, 2)
    return _str(1, name) + b"".join(_int(8, v) for v in value) + _int(20, 7)


def node(op: str, inputs: Sequence[str], outputs: Sequence[str], domain: str = "",
         **attrs: int | float | Sequence[int]) -> bytes:
    body = b"".join(_str(1, i) for i in inputs) + b"".join(_str(2, o) for o in outputs)
    body += _str(3, f"{op}_{outputs[0]}") + _str(4, op)
    body += b"".join(_bytes(5, attribute(k, v)) for k, v in attrs.items())
    if domain:
        body += _str(7, domain)
    return body


def value_info(name: str, elem_type: int, dims: Sequence[int | str]) -> bytes:
    shape = b"".join(_bytes(1, _int(1, d) if isinstance(d, int) else _str(2, d)) for d in dims)
    tensor_type = _int(1, elem_type) + _bytes(2, shape)
    return _str(1, name) + _bytes(2, _bytes(1, tensor_type))


def model(nodes: Sequence[bytes], initializers: Sequence[bytes], inputs: Sequence[bytes],
          outputs: Sequence[bytes], opsets: dict[str, int]) -> bytes:
    graph = b"".join(_bytes(1, n) for n in nodes) + _str(2, "encoder")
    graph += b"".join(_bytes(5, t) for t in initializers)
    graph += b"".join(_bytes(11, i) for i in inputs) + b"".join(_bytes(12, o) for o in outputs)
    opset = b"".join(_bytes(8, _str(1, d) + _int(2, v)) for d, v in opsets.items())
    return _int(1, 8) + _str(2, "rejoinder") + _bytes(7, graph) + opset
