"""The ONNX Runtime encoder gives the torch encoder's scores, and its exported graph is cached."""

import numpy as np
import pytest

from service.pipeline.classification import Classifier
from service.settings import REPO_ROOT

pytestmark = pytest.mark.slow

TEXTS = [
    "My line manager shouts at me in front of the whole shift and calls me useless.",
    "Canteen food is fine, parking is a nightmare.",
    "He said people go missing out here. Then he pointed at the back lot.\nI have not been back since.",
]


def test_onnx_and_torch_agree_and_the_graph_is_reused(tmp_path, monkeypatch):
    monkeypatch.setenv("UPSTANDER_CACHE_DIR", str(tmp_path))
    path = REPO_ROOT / "models" / "upstander-clf"
    torch_model = Classifier(path, runtime="torch")
    onnx_model = Classifier(path, runtime="onnx")
    assert onnx_model.scorer.encoder.runtime is not None
    graphs = list(tmp_path.glob("encoder-*.onnx"))
    assert len(graphs) == 1
    for a, b in zip(torch_model.raw_scores(TEXTS), onnx_model.raw_scores(TEXTS), strict=True):
        np.testing.assert_allclose(a, b, atol=1e-4)
    stamp = graphs[0].stat().st_mtime_ns
    Classifier(path, runtime="onnx")  # a second process would load the cached graph, not export again
    assert graphs[0].stat().st_mtime_ns == stamp and len(list(tmp_path.glob("encoder-*"))) == 1
