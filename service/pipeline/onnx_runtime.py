"""ONNX Runtime for the encoder: the same float32 weights (base + merged adapters), run faster.

The merged torch model is exported once to an ONNX graph that ends in the mean pooling, and ONNX
Runtime's CPU provider runs it with its graph fusions. It stays float32 (no quantisation), so an
item's embedding does not depend on its batchmates beyond float rounding; the export is cached
on disk under a key of the weights, so later processes only load it. If the runtime or the
export is unavailable the caller keeps the torch path: same numbers, slower.
"""

from __future__ import annotations

import hashlib
import io
import logging
import os
import tempfile
import warnings
from pathlib import Path

import numpy as np

log = logging.getLogger("upstander.encoder")
INPUTS = ("input_ids", "attention_mask", "token_type_ids")
CACHE_ENV = "UPSTANDER_CACHE_DIR"


def weights_key(model) -> str:
    """A digest of every weight, so a cached graph is never used for other weights."""
    digest = hashlib.sha256()
    for name, tensor in sorted(model.state_dict().items()):
        digest.update(name.encode())
        digest.update(tensor.detach().cpu().numpy().tobytes())
    return digest.hexdigest()[:20]


def _export(model) -> bytes:
    import torch

    from service.pipeline.encoder import mean_pool

    class Pooled(torch.nn.Module):
        def __init__(self, inner):
            super().__init__()
            self.inner = inner

        def forward(self, input_ids, attention_mask, token_type_ids):
            hidden = self.inner(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            ).last_hidden_state
            return mean_pool(hidden, attention_mask)

    dummy = torch.ones((2, 8), dtype=torch.long)
    buffer = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(
            Pooled(model).eval(),
            (dummy, dummy, torch.zeros_like(dummy)),
            buffer,
            dynamo=False,
            input_names=list(INPUTS),
            output_names=["pooled"],
            dynamic_axes={name: {0: "batch", 1: "tokens"} for name in INPUTS} | {"pooled": {0: "batch"}},
            opset_version=17,
        )
    return buffer.getvalue()


def _cached_graph(model) -> bytes:
    folder = Path(os.environ.get(CACHE_ENV) or Path.home() / ".cache" / "upstander")
    path = folder / f"encoder-{weights_key(model)}.onnx"
    if path.exists():
        return path.read_bytes()
    graph = _export(model)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder, delete=False, suffix=".part") as tmp:
            tmp.write(graph)
        os.replace(tmp.name, path)  # atomic: parallel workers never read half a file
    except OSError:
        log.info("encoder graph cache not writable; exported in memory only")
    return graph


class OnnxPooledEncoder:
    """Callable: tokenised batch (numpy) → L2-normalised mean-pooled embeddings."""

    def __init__(self, model, threads: int):
        import onnxruntime as ort

        options = ort.SessionOptions()
        options.intra_op_num_threads = max(1, threads)
        options.inter_op_num_threads = 1
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        options.log_severity_level = 3
        self.session = ort.InferenceSession(_cached_graph(model), options, providers=["CPUExecutionProvider"])

    def __call__(self, batch: dict) -> np.ndarray:
        feeds = {name: np.asarray(batch[name], dtype=np.int64) for name in INPUTS}
        return self.session.run(None, feeds)[0]


def onnx_encoder(model, threads: int) -> OnnxPooledEncoder | None:
    """The ONNX Runtime encoder, or None (torch stays) when it cannot be built here."""
    try:
        return OnnxPooledEncoder(model, threads)
    except Exception as exc:  # a missing runtime or a failed export must not stop the service
        log.warning("ONNX Runtime unavailable (%s); using torch for the encoder", type(exc).__name__)
        return None
