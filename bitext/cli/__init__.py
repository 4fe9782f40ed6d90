"""The click front end (installed as ``bitext.cli``): thin commands that parse, call bitext, print."""
