"""The table of pipeline components: versioned names and Rasa aliases -> ``module:Class``.

Imports are lazy, so naming a component costs nothing until a pipeline uses it.
Rasa featurizers and tokenizers that our components already cover map to ``SUBSUMED``:
a Rasa ``config.yml`` that lists them still loads, and they are skipped.
"""

from __future__ import annotations

import importlib
from typing import Any

from nlu.errors import ComponentConfigError

__all__ = ["COMPONENTS", "RASA_ALIASES", "SUBSUMED", "resolve", "canonical_name"]

SUBSUMED = "subsumed"

COMPONENTS: dict[str, str] = {
    "nlu.crf_tagger.v1": "nlu.entities.crf_tagger:CRFEntityTagger",
    "nlu.emotion_classifier.v1": "nlu.emotion.classifier:EmotionClassifier",
    "nlu.gazetteer.v1": "nlu.entities.gazetteer:GazetteerEntityExtractor",
    "nlu.intent_classifier.v1": "nlu.intent.classifier:IntentClassifier",
    "nlu.jieba_tokenizer.v1": "nlu.tokenizer:JiebaTokenizer",
    "nlu.normalizer.v1": "nlu.normalize.normalizer:Normalizer",
    "nlu.pinyin_corrector.v1": "nlu.correction.corrector:PinyinCorrector",
    "nlu.rule_entities.v1": "nlu.entities.rules:RuleEntityExtractor",
    "nlu.synonym_mapper.v1": "nlu.entities.synonyms:EntitySynonymMapper",
}

RASA_ALIASES: dict[str, str] = {
    "CRFEntityExtractor": "nlu.crf_tagger.v1",
    "CountVectorsFeaturizer": SUBSUMED,
    "DIETClassifier": "nlu.intent_classifier.v1",
    "DucklingEntityExtractor": "nlu.rule_entities.v1",
    "EntitySynonymMapper": "nlu.synonym_mapper.v1",
    "FallbackClassifier": SUBSUMED,
    "JiebaTokenizer": "nlu.jieba_tokenizer.v1",
    "LanguageModelFeaturizer": SUBSUMED,
    "LexicalSyntacticFeaturizer": SUBSUMED,
    "LogisticRegressionClassifier": "nlu.intent_classifier.v1",
    "RegexEntityExtractor": "nlu.gazetteer.v1",
    "RegexFeaturizer": SUBSUMED,
    "ResponseSelector": SUBSUMED,
    "SklearnIntentClassifier": "nlu.intent_classifier.v1",
    "SpacyNLP": SUBSUMED,
    "SpacyTokenizer": SUBSUMED,
    "WhitespaceTokenizer": SUBSUMED,
}

_overlap = set(COMPONENTS) & set(RASA_ALIASES)
if _overlap:  # a name must mean one thing
    raise RuntimeError(f"component names registered twice: {sorted(_overlap)}")


def canonical_name(name: str) -> str:
    """The versioned name for ``name`` (itself, or what a Rasa alias points to).

    Raises:
        ComponentConfigError: the name is in neither table.
    """
    if name in COMPONENTS:
        return name
    if name in RASA_ALIASES:
        return RASA_ALIASES[name]
    raise ComponentConfigError(
        f"unknown pipeline component {name!r}",
        code="NLU010",
        hint="use one of: " + ", ".join(sorted(COMPONENTS)),
    )


def resolve(name: str) -> type[Any]:
    """Import and return the component class registered under ``name``."""
    target = COMPONENTS[canonical_name(name)]
    module_name, _, class_name = target.partition(":")
    module = importlib.import_module(module_name)
    return getattr(module, class_name)  # type: ignore[no-any-return]
