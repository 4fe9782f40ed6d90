"""Spans of a sentence that are not language: addresses, paths, file names, e-mail addresses.

``详情见 https://www.cac.gov.cn/2024/数据.htm 或发邮件至 test@example.com。`` holds two: an
engine must not translate the ``数据`` inside the address (the gist wrote
``https://www.cac.gov.cn/2024/ data .htm``), nor respace or recase an address or a path
(neural models do). :func:`verbatim_spans` finds them; the term enforcement
(:mod:`bitext.terms.enforce`) hides each behind a placeholder the engine copies and puts the
span back, byte for byte.

What counts:

* URLs with a scheme (``https://``, ``ftp://``) or a bare ``www.`` host: ASCII characters,
  and Chinese inside the path where ASCII follows it (trailing ``.,;:!?)]'`` belong to the
  sentence);
* e-mail addresses;
* Windows paths (``C:\\Program Files\\数据\\config.ini``; a space inside a folder name, not
  in the last part) and UNC paths (``\\\\server\\share``);
* absolute Unix paths with at least two parts (``/etc/数据/app.conf``);
* file names with a common extension: in ASCII anywhere (``运行main.py``), with Chinese
  after white space, an ASCII quote or ``=`` (``--input 数据.txt``; in ``打开数据.txt文件`` the
  name's start is unknown, and ``附件1：检查细则.pdf`` reads as an attachment's title, so
  both are translated).
"""

from __future__ import annotations

import re

_STOP = r"\s<>\"'“”‘’「」『』（）()【】《》，。；、！？：…"
"""Characters that end an address or a path (white space, quotes, CJK punctuation)."""

_PART = rf"[^{_STOP}\\/:*?|]"
_URL_CHARS = r"[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]"
_URL = rf"{_URL_CHARS}+(?:[\u3400-\u9fff]+[./_\-#?=&%]{_URL_CHARS}*)*"
"""An address's characters: ASCII, as written in running Chinese text (``详见https://a.cn查看``
ends before ``查看``); Chinese inside a path is kept where ASCII follows it
(``https://a.cn/下载/工具.exe``)."""
_EXT = (
    r"txt|pdf|docx?|xlsx?|pptx?|csv|tsv|json|xml|ya?ml|toml|ini|cfg|conf|log|md|html?|zip|rar|7z|"
    r"tar|gz|tgz|bz2|xz|exe|dll|msi|apk|ipa|dmg|iso|img|bin|py|js|ts|java|c|cc|cpp|h|hpp|go|rs|rb|"
    r"php|sh|bat|ps1|sql|db|sqlite|jpe?g|png|gif|bmp|svg|webp|mp4|mp3|wav|avi|mov|tmx|xliff?|tbx|srx"
)

_SPANS = re.compile(
    rf"""
      (?:https?|ftp|sftp)://{_URL}                              # URL with a scheme
    | (?<![A-Za-z0-9.@/])www\.[A-Za-z0-9\-]+\.{_URL}               # bare www. host
    | [A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+     # e-mail address
    | (?<![\w\\])[A-Za-z]:\\(?:{_PART}+(?:\ {_PART}+)*\\)*{_PART}*  # Windows path
    | (?<![\w\\])\\\\{_PART}+(?:\\{_PART}+)+                      # UNC path
    | (?<![\w/.:~])(?:~|\.{{1,2}})?/(?:{_PART}+/)+{_PART}*       # Unix path, 2+ parts
    | (?<![A-Za-z0-9_.\-/\\])[A-Za-z0-9_\-.]+\.(?:{_EXT})(?![A-Za-z0-9_.])  # a file name in ASCII
    | (?<=[\s"'(\[=]){_PART}+\.(?:{_EXT})(?![A-Za-z0-9_.])  # any name after a space or quote
    """,
    re.VERBOSE | re.IGNORECASE,
)
URL_TAIL = ".,;:!?)]'"
"""Punctuation after an address that belongs to the sentence, not to the address."""


def verbatim_spans(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of the addresses, paths and file names in ``text``, in order, not
    overlapping (see the module docstring)."""
    out: list[tuple[int, int]] = []
    for m in _SPANS.finditer(text):
        start, end = m.span()
        while end > start and text[end - 1] in URL_TAIL:
            if text[end - 1] == ")" and text.count("(", start, end) >= text.count(")", start, end):
                break  # a balanced parenthesis belongs to the address (a_(1).htm)
            end -= 1
        body = text[start:end]
        if end - start < 3 or body.count("/") == len(body):
            continue
        if body.startswith(("/", "~/", "./", "../")) and not re.search(r"[A-Za-z0-9\u3400-\u9fff]", body):
            continue
        out.append((start, end))
    return out
