#!/usr/bin/env python
"""Fill empty msgstr entries of the Simplified Chinese catalogue from a JSON file.

    python scripts/po_fill.py translations.json [path/to/django.po]

Each app keeps its own catalogue in <app>/locale/zh_Hans/LC_MESSAGES/django.po (made by
running makemessages inside the app folder); the project's own is locale/zh_Hans/....

The JSON maps English msgid to Chinese text. Entries already translated are kept;
the script prints every msgid still untranslated so nothing ships in English by mistake.
Plural and multi-line entries are left for hand editing.
"""

import json
import re
import sys
from pathlib import Path

PO = Path(__file__).resolve().parent.parent / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def main(argv):
    table = json.loads(Path(argv[1]).read_text()) if len(argv) > 1 else {}
    po = Path(argv[2]) if len(argv) > 2 else PO
    text = po.read_text()
    text = text.replace('"Plural-Forms: nplurals=INTEGER; plural=EXPRESSION;\\n"', '"Plural-Forms: nplurals=1; plural=0;\\n"')

    def fill(match):
        msgid = json.loads(match.group(1))
        if msgid in table:
            return f"msgid {match.group(1)}\nmsgstr {json.dumps(table[msgid], ensure_ascii=False)}\n"
        return match.group(0)

    text = re.sub(r'^msgid (".*")\nmsgstr ""\n', fill, text, flags=re.M)
    text = text.replace("#, fuzzy\n", "", 1)
    po.write_text(text)
    missing = [json.loads(m) for m in re.findall(r'^msgid (".+")\nmsgstr ""\n', text, flags=re.M)]
    for m in missing:
        print("untranslated:", m)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
