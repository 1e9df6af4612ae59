"""Cleaning of extraction noise: what a PDF, a Word file or OCR leaves in the text.

`strip_markup` is the light cleaning of one table cell or one line (HTML tags, Markdown
emphasis, spaces of every width); the whole-document cleaning that keeps the layout is
storage.ingest.text_utils.clean_text.
"""

from __future__ import annotations

import re
from functools import lru_cache

# Thousands are separated by a space in Swedish; PDFs also give no-break and thin spaces.
_SPACES = re.compile(r"[\u00a0\u2007\u2009\u202f\u2002\u2003]")


def normalise_spaces(text: str) -> str:
    return _SPACES.sub(" ", text)


_SUP = re.compile(r"<sup>.*?</sup>", re.I | re.S)
_TAG = re.compile(r"</?[a-zA-Z][^>]*>")
# Lookaheads that change no match but let the engine skip ahead fast; strip_markup runs on
# every cell and on whole documents.
_EMPHASIS = re.compile(r"(?=[*_])(?:\*\*|__|(?<!\w)\*(?=\S)|(?<=\S)\*(?!\w))")
_HEADING = re.compile(r"^\s*#+\s*")


@lru_cache(maxsize=65536)
def strip_markup(text: str) -> str:
    """Drops HTML tags (footnote superscripts with their content), Markdown emphasis and headings."""
    # Table cells are read many times over and rarely hold markup: skip what cannot apply.
    if "<" in text:
        text = _SUP.sub("", text)
        text = _TAG.sub(" ", text)
    if "*" in text or "_" in text:
        text = _EMPHASIS.sub("", text)
    if "#" in text:
        text = _HEADING.sub("", text)
    # Each run of spaces and tabs becomes one space; str.replace does it several times faster
    # than a pattern, which matters on whole documents.
    text = normalise_spaces(text).replace("\t", " ")
    while "  " in text:
        text = text.replace("  ", " ")
    return text.strip()
