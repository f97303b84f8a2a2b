"""Where templates print what people wrote, and whether it is shown in its own direction (dir="auto" or <bdi>)."""

import re
from pathlib import Path

# Fields people type in any script: names, titles, answers, posts, notes, reasons.
FREE_TEXT = r"(name|title|text|summary|body|notes|private_notes|description|what|reason|role|organisation|place|answer)"
OUTPUT = re.compile(r"{{\s*([\w.]+?\." + FREE_TEXT + r"|member\.name)\b(?![\w.]*\|as_crispy)([^}]*)}}")
OPEN_TAG = re.compile(r"<(\w+)([^<>]*)>")
# Outputs that are no free text: a form field's own name or label, a file name in a link's title.
NOT_FREE = re.compile(r"field\.name|\.label\b|form\.\w+\.")


def enclosing_tag(line: str, at: int) -> tuple[str, str] | None:
    """The innermost element still open at `at` on this line: (tag, attributes)."""
    open_tags = []
    for match in re.finditer(r"</?(\w+)([^<>]*)>", line[:at]):
        if match.group(0).startswith("</"):
            while open_tags and open_tags.pop()[0] != match.group(1):
                pass
        elif not match.group(0).endswith("/>") and match.group(1) not in ("br", "img", "input", "hr"):
            open_tags.append((match.group(1), match.group(2)))
    return open_tags[-1] if open_tags else None


def unisolated(path: Path):
    """(line number, expression) of each free-text output not shown in its own direction."""
    in_blocktranslate = False
    for number, line in enumerate(path.read_text().splitlines(), 1):
        for match in OUTPUT.finditer(line):
            before = line[: match.start()]
            if NOT_FREE.search(match.group(0)) or before.count("<") > before.count(">"):
                continue  # inside a tag: an attribute value, not text on the page
            if "{% block title %}" in before or "{% blocktranslate" in before or in_blocktranslate:
                continue
            tag = enclosing_tag(line, match.start())
            if tag and (tag[0] == "bdi" or 'dir="auto"' in tag[1]):
                continue
            yield number, match.group(0)
        if "{% blocktranslate" in line and "{% endblocktranslate" not in line.rsplit("{% blocktranslate", 1)[1]:
            in_blocktranslate = True
        if "{% endblocktranslate" in line:
            in_blocktranslate = False
