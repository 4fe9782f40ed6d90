"""Terminology: the glossary model and matcher (``glossary``), term enforcement in
translations (``enforce``), row-preserving editing and lint (``edit``), CSV/TSV/TBX
conversion (``formats``) and term candidates from documents (``suggest``)."""
