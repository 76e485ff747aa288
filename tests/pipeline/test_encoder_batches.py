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


LONG_REPORT = " ".join(
    [
        "On the Tuesday night shift the loading bay was short of two drivers, so the rota was redone at short notice.",
        "When I asked why I had been moved again, <PERSON_1> stood over me and said I would regret asking.",
        "Later, in the car park, he blocked my way to the car and told me he knew which road I live on.",
        "I have kept copies of the messages he sent afterwards and I no longer want to walk out alone.",
        "The security guard saw part of it and has offered to give a statement if it helps.",
        "Since then my shifts have been cut from five to two a week without any reason being given to me.",
        "Two colleagues told me he has been saying in the break room that I made the whole thing up.",
        "I raised it with the site manager on Friday, but nothing has happened and he is still on my shift.",
    ]
)


def test_attributions_do_not_depend_on_batchmates(pipeline):
    """An item's gradient attributions are the same, bit for bit, alone, among others (some of its
    token length, which a batched backward pass would have moved) or in reverse order."""
    scorer = pipeline.classifier.scorer
    texts = [*TEXTS, "<PERSON_2> swore at me again.", "Canteen tea is cold.", LONG_REPORT]
    items = [tuple(scorer.encoder.windows(t)) for t in texts]
    targets = [([k % 12, (k + 5) % 12], k % 2 == 0) for k in range(len(items))]
    lengths = [len(scorer.encoder.tokenizer(item[0])["input_ids"]) for item in items if len(item) == 1]
    assert len(set(lengths)) < len(lengths)  # some items share a token length
    assert any(len(item) > 1 for item in items)  # and one has several windows
    together = scorer.token_attributions(items, targets)
    alone = [scorer.token_attributions([item], [target])[0] for item, target in zip(items, targets, strict=True)]
    backwards = scorer.token_attributions(items[::-1], targets[::-1])[::-1]
    assert together == alone == backwards
    assert all(any(v != 0.0 for window in found for _, _, v in window) for found in together)


def test_attributions_are_the_same_on_one_thread_or_several(pipeline):
    """Several threads run several items at once, each on one thread: the numbers must not move."""
    import torch

    scorer = pipeline.classifier.scorer
    items = [tuple(scorer.encoder.windows(t)) for t in [*TEXTS, LONG_REPORT]]
    targets = [([k % 12], k % 3 == 0) for k in range(len(items))]
    threads = torch.get_num_threads()
    try:
        torch.set_num_threads(1)
        one = scorer.token_attributions(items, targets)
        torch.set_num_threads(2)
        two = scorer.token_attributions(items, targets)
        assert torch.get_num_threads() == 2  # restored after the pass
    finally:
        torch.set_num_threads(threads)
    assert one == two
