"""Builds a tiny, randomly initialized sentence-transformers model in a local folder.

It proves the "any sentence-transformers model from a local path" route works
offline; its embeddings carry no meaning, so tests only check the plumbing.
"""

from __future__ import annotations

from pathlib import Path

import pytest


def build_tiny_sentence_transformer(folder: Path, texts: list[str]) -> Path:
    from sentence_transformers import SentenceTransformer, models
    from transformers import BertConfig, BertModel, BertTokenizer

    chars = sorted({c for text in texts for c in text})
    vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", *chars]
    base = folder / "bert"
    base.mkdir(parents=True, exist_ok=True)
    (base / "vocab.txt").write_text("\n".join(vocab) + "\n", encoding="utf-8")
    BertTokenizer(str(base / "vocab.txt")).save_pretrained(str(base))
    config = BertConfig(
        vocab_size=len(vocab),
        hidden_size=32,
        num_hidden_layers=1,
        num_attention_heads=2,
        intermediate_size=64,
        max_position_embeddings=128,
    )
    BertModel(config).save_pretrained(str(base))
    transformer = models.Transformer(str(base), max_seq_length=64)
    pooling = models.Pooling(transformer.get_embedding_dimension(), pooling_mode="mean")
    model = SentenceTransformer(modules=[transformer, pooling], device="cpu")
    target = folder / "tiny-st"
    model.save(str(target))
    return target


@pytest.fixture(scope="session")
def tiny_sentence_transformer(tmp_path_factory: pytest.TempPathFactory) -> Path:
    texts = ["你好", "您好", "在吗", "赎回基金", "卖掉理财", "把钱取出来", "净值多少", "查净值", "单位净值"]
    return build_tiny_sentence_transformer(tmp_path_factory.mktemp("st"), texts + ["早上好", "今天"])


INTENT_EXAMPLES: dict[str, list[str]] = {
    "redeem": [
        "我要赎回五万",
        "把基金卖了",
        "赎回两千块",
        "我想把钱取出来",
        "帮我赎回一下",
        "卖掉我的理财",
        "这个基金我不要了全部赎回",
        "申请赎回",
        "赎回到银行卡",
        "我想卖出一部分份额",
        "怎么把钱拿出来",
        "提前赎回可以吗",
    ],
    "greet": [
        "你好",
        "您好啊",
        "早上好",
        "嗨",
        "在吗",
        "哈喽",
        "下午好",
        "你好呀小助手",
        "有人在吗",
        "晚上好",
        "hi",
        "hello",
    ],
    "nav": [
        "净值多少",
        "今天净值是多少",
        "查一下净值",
        "这个基金净值",
        "最新净值",
        "单位净值呢",
        "累计净值多少了",
        "昨天的净值",
        "净值涨了没",
        "帮我看看净值",
        "净值更新了吗",
        "基金净值查询",
    ],
    "change_card": [
        "我要换银行卡",
        "更换绑定的卡",
        "银行卡换了怎么办",
        "换一张卡",
        "修改银行卡",
        "绑定新的银行卡",
        "原来的卡注销了",
        "解绑旧卡",
        "卡丢了要换卡",
        "怎么更换收款卡",
        "换绑卡",
        "我想改一下绑定的银行卡",
    ],
}


@pytest.fixture(scope="session")
def intent_data():  # noqa: ANN201 - TrainingData
    from nlu.training_data import Example, TrainingData

    return TrainingData(
        [Example(text, intent) for intent, texts in INTENT_EXAMPLES.items() for text in texts]
    )
