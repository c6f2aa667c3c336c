"""Static check: every SQL statement of the service is prepared from a
constant, with values bound, never built from text (docs/api-robustness.md).

Fails when a file of src/service (or the directory given as argument):
  - calls db_exec, db_vexec, db_query or db_scalar (db.h), or an engine's
    own sqlite3_prepare*, sqlite3_exec or PQexec, with an SQL argument
    that is not a string literal or a constant whose initialiser is only
    string literals and literal macros (optionally `cond ? "..." :
    "..."`); a function that passes its own parameter on (store_exec,
    store_purge_table, ...) is checked the same way at its call sites;
  - calls db_script with anything but the schema constants
    (store_pragmas, store_schema_*, store_migrations[...],
    store_migrations_pg[...]);
  - calls a printf-family or string-joining function whose arguments hold
    SQL (SELECT ... FROM, INSERT INTO, UPDATE ... SET, DELETE FROM, ...);
  - uses sqlite3's own string builders (sqlite3_*printf, sqlite3_str_*);
  - uses SQLite anywhere but db_sqlite.c, or libpq anywhere but db_pg.c:
    the store reaches either only through db.h.

The engines' files pass on the SQL they are given (PostgreSQL's rewrites
its placeholders first); what reaches them is checked where db.h is
called.

Usage: python3 tests/lint/sql_prepared.py [DIR...]
"""

import os
import re
import sys

SCRIPT_ALLOWED = re.compile(
    r"^(store_pragmas|store_schema_\w+|"
    r"store_migrations(_pg)?\s*\[[^\]]*\])$")
# Functions that run SQL, and which argument (from 0) is the SQL.
PREPARE_FNS = {"sqlite3_prepare": 1, "sqlite3_prepare_v2": 1,
               "sqlite3_prepare_v3": 1, "sqlite3_prepare16_v2": 1,
               "sqlite3_exec": 1, "PQexec": 1,
               "db_exec": 2, "db_vexec": 2, "db_query": 2, "db_scalar": 2}
# The only file that may use each engine's library.
ENGINE_FILES = {"db_sqlite.c": re.compile(r"\bsqlite3_\w+|<sqlite3\.h>"),
                "db_pg.c": re.compile(r"\bPQ\w+|<libpq-fe\.h>")}
BUILD_FNS = ("printf", "fprintf", "sprintf", "snprintf", "vsprintf",
             "vsnprintf", "asprintf", "vasprintf", "xasprintf", "xvasprintf",
             "dprintf", "strcat", "strncat", "strcpy", "strncpy", "stpcpy",
             "memcpy", "strlcat", "strlcpy")
FORBIDDEN = re.compile(r"\bsqlite3_(v?mprintf|v?snprintf|str_\w+)\s*\(")
SQL_SHAPE = re.compile(
    r"\bSELECT\b[\s\S]*\bFROM\b|\bINSERT\s+(OR\s+\w+\s+)?INTO\b|"
    r"\bREPLACE\s+INTO\b|\bUPDATE\s+\w+\s+SET\b|\bDELETE\s+FROM\b|"
    r"\bWHERE\s+\w+\s*(=|LIKE|IN)\b", re.I)
STRING = re.compile(r'"(?:[^"\\\n]|\\.)*"')


def strip_comments(text):
    """Comments become spaces (newlines kept); strings are left alone."""
    out, i, n = [], 0, len(text)
    while i < n:
        c = text[i]
        if c == '"' or c == "'":
            j = i + 1
            while j < n and text[j] != c:
                j += 2 if text[j] == "\\" else 1
            out.append(text[i:j + 1])
            i = j + 1
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            out.append(re.sub(r"[^\n]", " ", text[i:j]))
            i = j
        elif text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            out.append(" " * (j - i))
            i = j
        else:
            out.append(c)
            i += 1
    return "".join(out)


def call_args(text, open_paren):
    """The top-level arguments of the call whose '(' is at open_paren."""
    depth, i, start, args = 0, open_paren, open_paren + 1, []
    while i < len(text):
        c = text[i]
        if c == '"' or c == "'":
            m = STRING.match(text, i) if c == '"' else \
                re.compile(r"'(?:[^'\\]|\\.)*'").match(text, i)
            i = m.end() if m else i + 1
            continue
        if c in "([{":
            depth += 1
        elif c in ")]}":
            depth -= 1
            if depth == 0:
                args.append(text[start:i].strip())
                return args
        elif c == "," and depth == 1:
            args.append(text[start:i].strip())
            start = i + 1
        i += 1
    return args


def literal_macros(text):
    """Names #defined as nothing but string literals."""
    found = set()
    for m in re.finditer(r"^#\s*define\s+(\w+)[ \t]+((?:[^\n]*\\\n)*[^\n]*)",
                         text, re.M):
        body = m.group(2).replace("\\\n", " ")
        if STRING.search(body) and STRING.sub("", body).strip() == "":
            found.add(m.group(1))
    return found


def only_literals(expr, macros=()):
    """Is expr nothing but adjacent string literals (and literal macros)?"""
    rest = STRING.sub("", expr)
    for name in macros:
        rest = re.sub(r"\b" + name + r"\b", "", rest)
    return expr != "" and rest.strip() == "" and \
        STRING.search(expr) is not None


def constant_sql(text, name, macros):
    """Is name, as seen from text (a function's body, else the file's top
    level), a constant made only of literals (or `cond ? "..." : "..."`),
    never assigned anything else nor handed out by address?"""
    if re.search(r"&\s*" + re.escape(name) + r"\b", text):
        return False
    inits = re.findall(r"\b" + re.escape(name) +
                       r"\s*(?:\[\s*\])?\s*=(?!=)\s*((?:[^;\"]|" +
                       STRING.pattern + r")*);", text)
    if not inits:
        return False
    return all(literal_choice(init, macros) for init in inits)


def literal_choice(expr, macros):
    """Is expr literals only, or `cond ? literals : literals` where the
    condition holds no string?"""
    if only_literals(expr, macros):
        return True
    parts = re.fullmatch(r"([^\"?]*)\?([\s\S]*):([\s\S]*)", expr.strip())
    return bool(parts) and only_literals(parts.group(2), macros) and \
        only_literals(parts.group(3), macros)


def scope_of(text, funcs, pos, name):
    """The text in which name is defined for a use at pos: the enclosing
    function when it declares name, else the file's top level."""
    start, end = 0, len(text)
    for i, (fstart, _, _) in enumerate(funcs):
        if fstart < pos:
            start = fstart
            end = funcs[i + 1][0] if i + 1 < len(funcs) else len(text)
    body = text[start:end]
    if re.search(r"\b(char|sql)\b[^;]*\b" + re.escape(name) + r"\b", body):
        return body
    # Top level: the whole file, so that an initialiser over several
    # lines is seen whole (a name reused with another initialiser in a
    # function makes the check stricter, not weaker).
    return text


def functions(text):
    """(start, name, parameter names) of each function defined at
    column 0, in order."""
    out = []
    for m in re.finditer(r"^(\w+)\(", text, re.M):
        params = call_args(text, m.end() - 1)
        names = [re.findall(r"\w+", p)[-1] if re.findall(r"\w+", p) else ""
                 for p in params]
        out.append((m.start(), m.group(1), names))
    return out


def enclosing(funcs, pos):
    """The function defined before pos: (name, parameter names)."""
    found = (None, [])
    for start, name, params in funcs:
        if start < pos:
            found = (name, params)
    return found


def load(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        return strip_comments(f.read())


def where(path, text, pos):
    return f"{path}:{text.count(chr(10), 0, pos) + 1}"


def check_prepares(sources):
    """Every SQL argument of a prepare, or of a function that passes its
    parameter on to one (found to a fixed point), is a constant."""
    preparers = dict(PREPARE_FNS)
    while True:
        problems, added = [], False
        for path, text in sources.items():
            macros = literal_macros(text)
            funcs = functions(text)
            pat = r"\b(" + "|".join(map(re.escape, preparers)) + r")\s*\("
            for m in re.finditer(pat, text):
                line_start = text.rfind("\n", 0, m.start()) + 1
                if m.start() == line_start or re.match(
                        r"\s*(enum|int|static|struct|const|void|bool)\b",
                        text[line_start:m.start()]):
                    continue  # a definition or prototype, not a call
                args = call_args(text, m.end() - 1)
                idx = preparers[m.group(1)]
                sql = args[idx] if len(args) > idx else ""
                if literal_choice(sql, macros):
                    continue
                name = re.fullmatch(r"(\w+)(\s*\[[^\]]*\])?", sql)
                fn, params = enclosing(funcs, m.start())
                if name and name.group(1) in params:
                    if fn not in preparers:
                        preparers[fn] = params.index(name.group(1))
                        added = True
                    continue
                if name and constant_sql(scope_of(text, funcs, m.start(),
                                                  name.group(1)),
                                         name.group(1), macros):
                    continue
                problems.append(f"{where(path, text, m.start())}: "
                                f"{m.group(1)} with SQL \"{sql}\" that is "
                                "not a constant")
        if not added:
            return problems


def check_file(path, text):
    problems = []
    macros = literal_macros(text)
    for m in FORBIDDEN.finditer(text):
        problems.append(f"{where(path, text, m.start())}: "
                        f"{m.group(0)[:-1].strip()} builds SQL text; "
                        "bind values instead")
    for m in re.finditer(r"\bdb_script\s*\(", text):
        line_start = text.rfind("\n", 0, m.start()) + 1
        if m.start() == line_start or re.match(
                r"\s*(enum|int|static|struct|const|void|bool)\b",
                text[line_start:m.start()]):
            continue  # a definition or prototype, not a call
        args = call_args(text, m.end() - 1)
        sql = args[1] if len(args) > 1 else ""
        if not SCRIPT_ALLOWED.match(sql):
            problems.append(f"{where(path, text, m.start())}: db_script "
                            f"with \"{sql}\": only the schema constants "
                            "may be run as a script")
    for name, pattern in ENGINE_FILES.items():
        if os.path.basename(path) == name:
            continue
        for m in pattern.finditer(text):
            problems.append(f"{where(path, text, m.start())}: {m.group(0)} "
                            f"outside {name}: reach the database through "
                            "db.h")
    for m in re.finditer(r"\b(" + "|".join(BUILD_FNS) + r")\s*\(", text):
        args = call_args(text, m.end() - 1)
        joined = " ".join("".join(s[1:-1] for s in STRING.findall(a))
                          for a in args)
        if SQL_SHAPE.search(joined):
            problems.append(f"{where(path, text, m.start())}: {m.group(1)} "
                            "builds a string holding SQL; use a constant "
                            "statement with bound values")
    return problems


def main(argv):
    here = os.path.dirname(os.path.abspath(__file__))
    dirs = argv[1:] or [os.path.join(here, "..", "..", "src", "service")]
    files = []
    for d in dirs:
        for name in sorted(os.listdir(d)):
            if name.endswith((".c", ".h")):
                files.append(os.path.join(d, name))
    if not files:
        print("sql_prepared: no C files in " + " ".join(dirs))
        return 1
    sources = {path: load(path) for path in files}
    problems = check_prepares(sources)
    for path, text in sources.items():
        problems += check_file(path, text)
    for p in problems:
        print(p)
    print(f"sql_prepared: {len(files)} files, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
