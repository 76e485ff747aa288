"""Full-rank training of the blocks' linear weights, shipped as deltas in the adapters' format."""

import numpy as np
import torch
from torch import nn

from service.pipeline.finetuned import merge_lora
from training.finetune import add_lora, unfreeze_linears


class TinyEncoder(nn.Module):
    """Named like a BERT encoder (`encoder.layer.N....`), so the block filter applies."""

    def __init__(self):
        super().__init__()
        self.embed = nn.Linear(3, 4)
        self.encoder = nn.Module()
        self.encoder.layer = nn.ModuleList([nn.Sequential(nn.Linear(4, 4), nn.LayerNorm(4)) for _ in range(2)])


def test_unfreeze_trains_only_the_linear_weights_of_the_chosen_blocks():
    model = TinyEncoder()
    targets = unfreeze_linears(model, first_layer=1)
    assert list(targets) == ["encoder.layer.1.0"]
    trainable = {name for name, p in model.named_parameters() if p.requires_grad}
    assert trainable == {"encoder.layer.1.0.weight"}  # biases, LayerNorm, embeddings and block 0 frozen


def test_a_full_rank_delta_merges_exactly_and_a_low_rank_one_as_B_times_A():
    torch.manual_seed(0)
    model = TinyEncoder()
    before = model.encoder.layer[0][0].weight.detach().clone()
    delta = np.arange(16, dtype=np.float16).reshape(4, 4) / 100
    merge_lora(model, {"encoder.layer.0.0": (None, delta, 1.0)})
    assert torch.allclose(model.encoder.layer[0][0].weight, before + torch.as_tensor(delta, dtype=torch.float32))

    a, b = np.ones((2, 4), dtype=np.float16), np.full((4, 2), 0.5, dtype=np.float16)
    merge_lora(model, {"encoder.layer.0.0": (a, b, 2.0)})
    expected = before + torch.as_tensor(delta, dtype=torch.float32) + 2.0  # (0.5 * 2 summed) * scale 2
    assert torch.allclose(model.encoder.layer[0][0].weight, expected)


def test_lora_and_full_rank_target_the_same_matrices():
    assert set(unfreeze_linears(TinyEncoder(), 0)) == set(add_lora(TinyEncoder(), r=2, first_layer=0))
