"""No text a person reads escapes gettext (issue 5).

- The client's person-facing modules (what is drawn on screen, messages,
  dialogs, placeholders) may contain no string literal that reads as
  prose unless it is marked for translation.  xgettext itself finds the
  literals: every literal (--extract-all) minus the marked ones (the
  project's keywords) must hold no two words in a row.  Developer-facing
  modules (the screen-file loader's errors for screen authors, option and
  configuration errors for operators, printed before the screen starts)
  are not in the list.
- Screen files: every text a screen shows (title, text, help, label=,
  confirm=, option, column, map, steps) is _("..."), except plain strings
  that hold no letters outside placeholders, and the languages' own names
  on the Language screen (003 §1.6: each in its own script).
"""

import ast
import glob
import os
import re
import subprocess
import sys
import tempfile

TOP = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
# lang.c is left out on purpose: it holds each language's name in its own
# script, which is never translated (003 §1.6).
PERSON_FACING = ["draw.c", "engine.c", "layout.c", "errmsg.c", "dialog.c",
                 "session.c", "apicall.c", "text.c", "input.c", "theme.c"]
PROSE = re.compile(r"[A-Za-z]{2,} [A-Za-z]{2,}")
KEYWORDS = ["--keyword=_", "--keyword=N_", "--keyword=C_:1c,2",
            "--keyword=ngettext:1,2"]


def msgids(pot):
    out = set()
    with open(pot, encoding="utf-8") as f:
        text = f.read()
    for block in text.split("\n\n"):
        for key in ("msgid", "msgid_plural"):
            m = re.search(r"^" + key + r' ((?:".*"\n?)+)', block, re.M)
            if m:
                out.add("".join(ast.literal_eval(x)
                                for x in m.group(1).strip().split("\n")))
    return out


def xgettext(files, extra):
    with tempfile.NamedTemporaryFile(suffix=".pot", delete=False) as tmp:
        path = tmp.name
    subprocess.run(["xgettext", "--language=C", "--from-code=UTF-8",
                    "--force-po", "-o", path, *extra, *files], check=True,
                   stderr=subprocess.DEVNULL)
    ids = msgids(path)
    os.unlink(path)
    return ids


def check_c():
    files = [os.path.join(TOP, "src", "client", f) for f in PERSON_FACING]
    loose = xgettext(files, ["--extract-all"]) - xgettext(files, KEYWORDS)
    return [f"C literal not marked for translation: {s!r}"
            for s in sorted(loose) if PROSE.search(s)]


TEXT_AT = re.compile(r'(?:^|\s)(?:label=|confirm=)?"((?:[^"\\]|\\.)*)"')


def check_screens():
    problems = []
    for path in sorted(glob.glob(os.path.join(TOP, "screens", "*.screen"))):
        name = os.path.basename(path)
        with open(path, encoding="utf-8") as f:
            for n, line in enumerate(f, 1):
                if line.lstrip().startswith(("#", "//")):
                    continue
                # Drop translated texts and placeholders, keep plain ones.
                rest = re.sub(r'C_\("(?:[^"\\]|\\.)*",\s*'
                              r'"(?:[^"\\]|\\.)*"\)', "", line)
                rest = re.sub(r'_\("(?:[^"\\]|\\.)*"\)', "", rest)
                for m in TEXT_AT.finditer(rest):
                    plain = re.sub(r"\{[^}]*\}", "", m.group(1))
                    if not re.search(r"[^\W\d_]", plain):
                        continue
                    if name == "language.screen" and "lang=" in line:
                        continue
                    problems.append(f"{name}:{n}: plain text {m.group(1)!r}"
                                    " is shown untranslated")
    return problems


def main():
    problems = check_c() + check_screens()
    for p in problems:
        print("FAIL " + p)
    print(f"{len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
