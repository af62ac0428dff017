"""Text normalization: width, case, traditional -> simplified, invisible characters, numbers."""

from nlu.normalize.normalizer import Normalizer, normalize_text
from nlu.normalize.numbers import QuantitySpan, find_quantities, parse_chinese_number

__all__ = ["Normalizer", "QuantitySpan", "find_quantities", "normalize_text", "parse_chinese_number"]
