"""bitext: offline Chinese→English translation and bilingual alignment toolkit.

The package root only exposes the version; every stage lives in its own module
(see ``DESIGN.md``). Nothing heavy is imported here.
"""

__version__ = "0.1.0"
