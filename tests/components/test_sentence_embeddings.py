"""all-MiniLM-L6-v2 in NumPy (components/minilm.py, components/wordpiece.py) and its Rasa featurizer.

The reference token ids and embeddings in minilm_reference.json were computed with Hugging Face's
`tokenizers` and `transformers` on the same package files (written by bench/minilm_reference.py,
removed once it had: `git show 61c7da5:bench/minilm_reference.py`).
"""

from __future__ import annotations

import json
import struct
from pathlib import Path

import numpy as np
import pytest
from rasa.shared.nlu.constants import FEATURE_TYPE_SENTENCE, INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from components import minilm
from components.sentence_embeddings import SentenceEmbeddingFeaturizer

REFERENCE = json.loads((Path(__file__).parent / "minilm_reference.json").read_text())
ENCODER = minilm.load()


@pytest.mark.parametrize("text", sorted(REFERENCE["tokens"]))
def test_token_ids_match_hugging_face(text):
    assert ENCODER.tokenizer.encode(text, ENCODER.max_length) == REFERENCE["tokens"][text]


def test_long_text_is_cut_to_the_maximum_length_with_cls_and_sep():
    ids = ENCODER.tokenizer.encode("hepatitis " * 400, ENCODER.max_length)
    assert len(ids) == ENCODER.max_length == 256
    assert ids[0] == ENCODER.tokenizer.cls_id and ids[-1] == ENCODER.tokenizer.sep_id


def test_embeddings_match_hugging_face():
    texts = sorted(REFERENCE["embeddings"])
    expected = np.array([REFERENCE["embeddings"][text] for text in texts])
    np.testing.assert_allclose(ENCODER.encode(texts), expected, atol=1e-5)


def test_embeddings_have_unit_length_and_do_not_depend_on_batching():
    texts = ["hi", "can I stop my tenofovir after five years?", "what does HBsAg mean", "ok"]
    together = ENCODER.encode(texts, batch_size=4)
    np.testing.assert_allclose(np.linalg.norm(together, axis=1), 1, atol=1e-5)
    one_by_one = np.concatenate([ENCODER.encode([text]) for text in texts])
    np.testing.assert_allclose(together, one_by_one, atol=1e-5)
    np.testing.assert_array_equal(ENCODER.encode(texts), together)


def test_paraphrases_are_closer_than_unrelated_sentences():
    stop, quit_, resistance, weather = ENCODER.encode(
        [
            "can I stop taking my hepatitis B tablets?",
            "is it safe to quit my antiviral medicine for hep B?",
            "how do I avoid drug resistance?",
            "what's the weather like in Paris tomorrow?",
        ]
    )
    assert stop @ quit_ > stop @ resistance > stop @ weather
    assert stop @ quit_ > 0.6 and stop @ weather < 0.2


def test_reads_safetensors_dtypes_shapes_and_offsets(tmp_path):
    floats, ints = np.arange(6, dtype="<f4").reshape(2, 3), np.array([7, -1], dtype="<i8")
    header = json.dumps(
        {
            "__metadata__": {"format": "pt"},
            "b": {"dtype": "I64", "shape": [2], "data_offsets": [24, 40]},
            "a": {"dtype": "F32", "shape": [2, 3], "data_offsets": [0, 24]},
        }
    ).encode()
    path = tmp_path / "t.safetensors"
    path.write_bytes(struct.pack("<Q", len(header)) + header + floats.tobytes() + ints.tobytes())
    tensors = minilm.read_safetensors(path)
    assert sorted(tensors) == ["a", "b"]
    np.testing.assert_array_equal(tensors["a"], floats)
    np.testing.assert_array_equal(tensors["b"], ints)


def test_unsupported_safetensors_dtype_is_refused(tmp_path):
    header = json.dumps({"a": {"dtype": "BF16", "shape": [1], "data_offsets": [0, 2]}}).encode()
    path = tmp_path / "t.safetensors"
    path.write_bytes(struct.pack("<Q", len(header)) + header + b"\0\0")
    with pytest.raises(ValueError, match="BF16"):
        minilm.read_safetensors(path)


def featurizer(**config):
    return SentenceEmbeddingFeaturizer(
        "embeddings", {**SentenceEmbeddingFeaturizer.get_default_config(), **config}
    )


def test_featurizer_adds_the_embedding_as_sentence_features_only():
    message = Message(data={TEXT: "can I stop my tenofovir?"})
    featurizer().process([message])
    sequence, sentence = message.get_dense_features(TEXT)
    assert sequence is None
    assert sentence.features.shape == (1, 384) and sentence.type == FEATURE_TYPE_SENTENCE
    np.testing.assert_allclose(
        sentence.features[0], REFERENCE["embeddings"]["can I stop my tenofovir?"], atol=1e-5
    )


def test_featurizer_skips_messages_without_text():
    message = Message(data={INTENT: "greet"})
    featurizer().process([message])
    assert message.features == []


def test_training_data_gets_the_same_features_as_single_messages():
    texts = ["hello there", "my viral load is undetectable, can I stop?", "bye", "is interferon right for me"]
    training = TrainingData([Message(data={TEXT: text, INTENT: "x"}) for text in texts])
    featurizer(batch_size=3).process_training_data(training)
    for example in training.training_examples:
        single = Message(data={TEXT: example.get(TEXT)})
        featurizer().process([single])
        np.testing.assert_allclose(
            example.get_dense_features(TEXT)[1].features,
            single.get_dense_features(TEXT)[1].features,
            atol=1e-5,
        )


@pytest.mark.parametrize("batch_size", [0, -3, "64", None])
def test_bad_batch_size_is_refused_with_a_clear_message(batch_size):
    with pytest.raises(ValueError, match="batch_size must be a positive integer"):
        featurizer(batch_size=batch_size)
