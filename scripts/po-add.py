#!/usr/bin/env python3
"""Put translations into po/*.po without editing them by hand.

    make -C po update-po                # so that the new msgids exist
    python3 scripts/po-add.py new.json

new.json is a list of entries:
    [{"msgid": "...", "msgid_plural": "..." (optional),
      "msgctxt": "..." (optional),
      "ja": "..." or ["form 0", ...], "en": ..., ...}, ...]

Each language named replaces that language's translation of the entry and
clears its fuzzy mark; the rest of the catalogue is left as it was.  Done
with gettext's own tools (msgcat --use-first, then msgmerge against the
template), so the files stay in the form update-po writes."""
import json
import os
import subprocess
import sys
import tempfile


def quote(s):
    return '"' + (s.replace('\\', '\\\\').replace('"', '\\"')
                  .replace('\n', '\\n').replace('\t', '\\t')) + '"'


def entry_lines(e, text):
    out = []
    if 'msgctxt' in e:
        out.append('msgctxt ' + quote(e['msgctxt']))
    out.append('msgid ' + quote(e['msgid']))
    if 'msgid_plural' in e:
        out.append('msgid_plural ' + quote(e['msgid_plural']))
        forms = [text] if isinstance(text, str) else text
        for i, form in enumerate(forms):
            out.append(f'msgstr[{i}] ' + quote(form))
    else:
        out.append('msgstr ' + quote(text))
    out.append('')
    return out


def main():
    top = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    entries = json.load(open(sys.argv[1], encoding='utf-8'))
    with open(os.path.join(top, 'po', 'LINGUAS')) as f:
        langs = [w for line in f for w in line.split('#')[0].split()]
    pot = os.path.join(top, 'po', 'madoguchi.pot')
    for lang in langs:
        po = os.path.join(top, 'po', lang + '.po')
        # The catalogue's own header first: msgcat keeps the first one.
        with open(po, encoding='utf-8') as f:
            lines = [f.read().split('\n\n', 1)[0], '']
        count = 0
        for e in entries:
            if lang in e:
                lines += entry_lines(e, e[lang])
                count += 1
        if count == 0:
            continue
        with tempfile.NamedTemporaryFile('w', suffix='.po', delete=False,
                                         encoding='utf-8') as f:
            f.write('\n'.join(lines))
            new = f.name
        try:
            subprocess.run(['msgcat', '--use-first', new, po,
                            '-o', po + '.tmp'], check=True)
            subprocess.run(['msgmerge', '-q', '--no-fuzzy-matching',
                            '-o', po, po + '.tmp', pot], check=True)
        finally:
            os.unlink(new)
            if os.path.exists(po + '.tmp'):
                os.unlink(po + '.tmp')
        print(f'{lang}: {count}')


if __name__ == '__main__':
    main()
