"""The encoder batches only texts of equal token length, so a text's embedding is exactly the same
alone, among texts of other lengths, or in another order (padding used to move it by ~1e-7)."""

import numpy as np
import pytest

TEXTS = [
    "<PERSON_1> shouted at me again.",
    "The rota changed with no notice and nobody explained why, which left three of us covering nights.",
    "Fine.",
    "<PERSON_2> keeps taking credit for my work in the weekly meeting and I am tired of it.",
    "<PERSON_1> shouted at me again.",
    "Canteen food is cold.",
]


@pytest.fixture(scope="module")
def encoder(pipeline):
    return pipeline.classifier.scorer.encoder


def test_an_embedding_does_not_depend_on_its_batchmates(encoder):
    together = encoder.embed(TEXTS)
    alone = np.stack([encoder.embed([t])[0] for t in TEXTS])
    backwards = encoder.embed(TEXTS[::-1])[::-1]
    assert np.array_equal(together, alone)
    assert np.array_equal(together, backwards)
    assert np.array_equal(together[0], together[4])  # the same text twice, same row


def test_embeddings_are_unit_length_and_distinct(encoder):
    emb = encoder.embed(TEXTS)
    assert np.allclose(np.linalg.norm(emb, axis=1), 1.0, atol=1e-5)
    assert not np.allclose(emb[0], emb[1])
    assert encoder.embed([]).shape == (0, encoder.dim)


def test_bfloat16_scores_are_batch_independent_close_to_float32_and_labelled(pipeline):
    from service.pipeline.classification import Classifier

    float32 = pipeline.classifier
    fast = Classifier(float32.path, bfloat16=True)
    assert fast.version == float32.version + "+bfloat16"
    together = fast.scorer.encoder.embed(TEXTS)
    alone = np.stack([fast.scorer.encoder.embed([t])[0] for t in TEXTS])
    assert np.array_equal(together, alone)
    reference = float32.scorer.encoder.embed(TEXTS)
    assert not np.array_equal(together, reference)  # it really ran in bfloat16
    assert np.abs(together - reference).max() < 0.01
    theme_fast, cum_fast, _ = fast.raw_scores(TEXTS)
    theme_ref, cum_ref, _ = float32.raw_scores(TEXTS)
    assert np.abs(theme_fast - theme_ref).max() < 0.05 and np.abs(cum_fast - cum_ref).max() < 0.05


@pytest.mark.slow
def test_the_setting_reaches_the_pipeline(monkeypatch):
    from service.components import get_pipeline
    from service.settings import Settings

    monkeypatch.setenv("UPSTANDER_ENCODER_BFLOAT16", "true")
    pipeline = get_pipeline(Settings(environment="test"))
    assert pipeline.model_version.endswith("+bfloat16")
    assert pipeline.classifier.scorer.encoder.bfloat16
