"""BERT's uncased WordPiece tokenizer in pure Python, configured from a `tokenizer.json`.

Does what the `tokenizers` library does for all-MiniLM-L6-v2 (BertNormalizer, BertPreTokenizer,
WordPiece, `[CLS] text [SEP]`): drop control characters, space out CJK ideographs, strip accents,
lower-case, split on whitespace and punctuation, then match each word greedily against the
vocabulary, longest piece first, continuation pieces prefixed with `##`; a word that cannot be
matched, or is longer than `max_input_chars_per_word`, becomes `[UNK]`.
"""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path


def _is_control(char: str) -> bool:
    return char not in "\t\n\r" and unicodedata.category(char).startswith("C")


def _is_punctuation(char: str) -> bool:
    code = ord(char)
    return (
        33 <= code <= 47
        or 58 <= code <= 64
        or 91 <= code <= 96
        or 123 <= code <= 126
        or unicodedata.category(char).startswith("P")
    )


def _is_cjk(code: int) -> bool:
    return any(
        low <= code <= high
        for low, high in (
            (0x4E00, 0x9FFF),
            (0x3400, 0x4DBF),
            (0x20000, 0x2A6DF),
            (0x2A700, 0x2B73F),
            (0x2B740, 0x2B81F),
            (0x2B820, 0x2CEAF),
            (0xF900, 0xFAFF),
            (0x2F800, 0x2FA1F),
        )
    )


class WordPieceTokenizer:
    def __init__(
        self,
        vocab: dict[str, int],
        lowercase: bool,
        strip_accents: bool,
        unk: str = "[UNK]",
        prefix: str = "##",
        max_word_chars: int = 100,
        cls: str = "[CLS]",
        sep: str = "[SEP]",
    ):
        self.vocab, self.lowercase, self.strip_accents = vocab, lowercase, strip_accents
        self.unk_id, self.prefix, self.max_word_chars = vocab[unk], prefix, max_word_chars
        self.cls_id, self.sep_id = vocab[cls], vocab[sep]

    @classmethod
    def from_file(cls, path: Path) -> WordPieceTokenizer:
        spec = json.loads(Path(path).read_text(encoding="utf-8"))
        normalizer, model = spec["normalizer"], spec["model"]
        if normalizer.get("type") != "BertNormalizer" or model.get("type") != "WordPiece":
            raise ValueError(f"{path}: not a BERT WordPiece tokenizer")
        lowercase = normalizer.get("lowercase", True)
        strip_accents = normalizer.get("strip_accents")
        return cls(
            model["vocab"],
            lowercase,
            lowercase if strip_accents is None else strip_accents,
            unk=model["unk_token"],
            prefix=model["continuing_subword_prefix"],
            max_word_chars=model["max_input_chars_per_word"],
        )

    def words(self, text: str) -> list[str]:
        """The normalised text split on whitespace and punctuation (BertNormalizer + BertPreTokenizer)."""
        chars = []
        for char in text:
            if char in "\0\ufffd" or _is_control(char):
                continue
            chars.append(f" {char} " if _is_cjk(ord(char)) else " " if char.isspace() else char)
        text = "".join(chars)
        if self.strip_accents:
            text = "".join(c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) != "Mn")
        if self.lowercase:
            text = text.lower()
        words: list[str] = []
        for chunk in text.split():
            start = 0
            for index, char in enumerate(chunk):
                if _is_punctuation(char):
                    words += [chunk[start:index], char] if index > start else [char]
                    start = index + 1
            if start < len(chunk):
                words.append(chunk[start:])
        return words

    def word_ids(self, word: str) -> list[int]:
        if len(word) > self.max_word_chars:
            return [self.unk_id]
        ids, start = [], 0
        while start < len(word):
            for end in range(len(word), start, -1):
                piece = word[start:end] if start == 0 else self.prefix + word[start:end]
                if piece in self.vocab:
                    ids.append(self.vocab[piece])
                    start = end
                    break
            else:
                return [self.unk_id]
        return ids

    def encode(self, text: str, max_length: int) -> list[int]:
        """Token ids `[CLS] pieces [SEP]`, the pieces cut so the whole is at most `max_length`."""
        ids = [piece for word in self.words(text) for piece in self.word_ids(word)]
        return [self.cls_id, *ids[: max_length - 2], self.sep_id]
