"""The transformers reader path, with a tiny randomly initialised BERT built here (no download).

Checks the plumbing only (spans inside the context, offsets consistent), not accuracy.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from knowledge.reading import DocumentReader, load_documents, load_extractor

transformers = pytest.importorskip("transformers", reason="transformers comes with the test extra")

CONTEXT_CHARS = "本产品封闭期为九十天赎回款项将于个工作日到账多久是多少起购金额元测试稳健债券"


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A one-layer BertForQuestionAnswering with a character vocabulary, saved to a folder."""
    import torch

    torch.manual_seed(0)
    folder = tmp_path_factory.mktemp("tiny_qa")
    tokens = [
        "[PAD]",
        "[UNK]",
        "[CLS]",
        "[SEP]",
        "[MASK]",
        *sorted(set(CONTEXT_CHARS)),
        *"0123456789",
        "t",
        "+",
    ]
    tokenizer = transformers.BertTokenizerFast(vocab={t: i for i, t in enumerate(tokens)})
    config = transformers.BertConfig(
        vocab_size=len(tokens),
        hidden_size=16,
        num_hidden_layers=1,
        num_attention_heads=2,
        intermediate_size=32,
        max_position_embeddings=128,
    )
    transformers.BertForQuestionAnswering(config).save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    return folder


def test_transformers_extractor_span_lies_in_the_context(tiny_model: Path) -> None:
    extractor = load_extractor(f"transformers:{tiny_model}")
    context = "赎回款项将于T+3个工作日到账。"
    spans = extractor.best("赎回多久到账", context, top=3)
    assert len(spans) == 3
    for span in spans:
        assert 0 <= span.start < span.end <= len(context)
        assert context[span.start : span.end] == span.text
        assert 0.0 <= span.probability <= 1.0


def test_document_reader_with_transformers_reader(tiny_model: Path, documents_dir: Path) -> None:
    reader = DocumentReader(
        load_documents(documents_dir),
        extractor=load_extractor(f"transformers:{tiny_model}"),
        min_confidence=0.0,
    )
    answer = reader.answer("测试稳健债券赎回多久到账")
    assert answer.answered
    document = reader.retriever.documents[answer.doc_id]
    assert document.text[answer.start : answer.end] == answer.text


def test_transformers_reader_missing_folder_is_clear(tmp_path: Path) -> None:
    from knowledge.reading.transformers_reader import TransformersReaderError

    with pytest.raises(TransformersReaderError, match="no such model folder"):
        load_extractor(f"transformers:{tmp_path / 'nowhere'}")


def test_load_extractor_rejects_unknown_spec() -> None:
    with pytest.raises(ValueError, match="unknown reader"):
        load_extractor("bert")
