"""Quality checks: small named checks over a (source, target) pair in a registry
(``checks``), Chinese/English number understanding (``numbers``), and whole-file reports
rendered as text, JSON or HTML (``report``)."""
