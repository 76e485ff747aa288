"""The model card says when its corpus counts are not those of the corpus its model learnt from."""

from __future__ import annotations

import pytest

from eval.model_card import _corpus_note
from training.corpus import fingerprint


def test_fingerprint_is_stable_and_depends_on_the_files_named():
    assert fingerprint() == fingerprint()
    assert len(fingerprint()) == 16
    assert fingerprint(("train",)) != fingerprint(("train", "validation"))


@pytest.mark.parametrize(
    ("recorded", "warned"),
    [("match", False), ("0123456789abcdef", True), (None, True)],
)
def test_card_warns_unless_the_manifest_records_todays_corpus(recorded, warned):
    manifest = {"corpus_fingerprint": fingerprint() if recorded == "match" else recorded}
    note = _corpus_note(manifest)
    assert bool(note) is warned
    if warned:
        assert fingerprint() in note
        assert (recorded or "no fingerprint") in note
