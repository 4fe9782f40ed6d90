"""Chinese text: ONE numeral parser (``numerals``), ONE width/variant folding and the Han
pattern (``text``), and CC-CEDICT access (``cedict``)."""
