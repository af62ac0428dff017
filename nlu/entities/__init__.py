"""Entity extraction: rules, gazetteer, synonyms and a trainable CRF tagger."""

__all__: list[str] = []
