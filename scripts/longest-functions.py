#!/usr/bin/env python3
"""The longest Swift functions and initialisers (by lines, declaration to closing brace), and the
files over a line count: the numbers a "long functions and long files" review starts from.

    python3 scripts/longest-functions.py                   # the 15 longest under Sources/
    python3 scripts/longest-functions.py --top 30 Sources/AttuneCore
    python3 scripts/longest-functions.py --files-over 400  # then the files over 400 lines

Bodies are found by brace matching on the source with comments and string literals blanked out
(single-line, multi-line and raw strings, with their interpolations read as code), so a brace in
a string or a comment never counts. A requirement without a body (in a protocol) is skipped.
Regex literals (/…/) are not recognised: Sources has none; a `{` inside one would miscount.
Standard library only.
"""

import argparse
import os
import re
import sys

DECLARATION = re.compile(r"\b(?:func\s+([A-Za-z_][A-Za-z0-9_]*|[^\s(<]+)|(init)[?!]?)\s*[(<]")
TYPE = re.compile(r"\b(?:struct|class|enum|actor|protocol|extension)\s+([A-Za-z_][A-Za-z0-9_.]*)")
# A line that starts another member: the declaration before it had no body.
NEXT_MEMBER = re.compile(
    r"\n\s*(?:@|func\b|var\b|let\b|init\b|case\b|static\b|public\b|private\b|fileprivate\b|internal\b|"
    r"package\b|mutating\b|nonisolated\b|subscript\b|associatedtype\b|typealias\b|}|#)"
)


def blank(text):
    """`text` with every comment and string literal replaced by spaces (line breaks kept), so that
    only code remains at the same offsets. Interpolations inside strings stay code."""
    out = list(text)
    i, n = 0, len(text)
    # Each entry: the string being read (its closing delimiter and hash count), or "(" for an
    # interpolation's parenthesis depth.
    stack = []

    def erase(a, b):
        for k in range(a, b):
            if out[k] != "\n":
                out[k] = " "

    def in_string():
        return bool(stack) and isinstance(stack[-1], tuple)

    while i < n:
        if in_string():
            closing, hashes = stack[-1]
            if text.startswith("\\" + "#" * hashes + "(", i):
                erase(i, i + 2 + hashes)
                i += 2 + hashes
                stack.append(0)  # interpolation: code until its parenthesis closes
                continue
            if hashes == 0 and text[i] == "\\":
                erase(i, min(i + 2, n))
                i += 2
                continue
            if text.startswith(closing + "#" * hashes, i):
                end = i + len(closing) + hashes
                erase(i, end)
                i = end
                stack.pop()
                continue
            erase(i, i + 1)
            i += 1
            continue
        c = text[i]
        if stack and c == "(":
            stack[-1] += 1
        elif stack and c == ")":
            if stack[-1] == 0:
                erase(i, i + 1)
                stack.pop()  # back into the string
                i += 1
                continue
            stack[-1] -= 1
        if text.startswith("//", i):
            end = text.find("\n", i)
            end = n if end < 0 else end
            erase(i, end)
            i = end
            continue
        if text.startswith("/*", i):
            depth, j = 1, i + 2
            while j < n and depth:
                if text.startswith("/*", j):
                    depth, j = depth + 1, j + 2
                elif text.startswith("*/", j):
                    depth, j = depth - 1, j + 2
                else:
                    j += 1
            erase(i, j)
            i = j
            continue
        opening = re.match(r'(#*)("""|")', text[i:i + 16])
        if opening:
            hashes, quote = len(opening.group(1)), opening.group(2)
            end = i + hashes + len(quote)
            erase(i, end)
            stack.append((quote, hashes))
            i = end
            continue
        i += 1
    return "".join(out)


def matching_brace(code, start):
    """The offset of the `}` closing the `{` at `start`."""
    depth = 0
    for k in range(start, len(code)):
        if code[k] == "{":
            depth += 1
        elif code[k] == "}":
            depth -= 1
            if depth == 0:
                return k
    return len(code) - 1


def body_start(code, after):
    """The `{` opening the body of a declaration whose signature starts at `after`, or None."""
    depth = 0
    k = after
    while k < len(code):
        c = code[k]
        if c in "([<":
            depth += 1
        elif c in ")]>" and depth > 0:
            depth -= 1
        elif c == "{" and depth == 0:
            return k
        elif depth == 0 and NEXT_MEMBER.match(code, k):
            return None
        k += 1
    return None


def functions(path):
    text = open(path, encoding="utf-8").read()
    code = blank(text)
    line_of = lambda offset: code.count("\n", 0, offset) + 1  # noqa: E731
    types = []
    for match in TYPE.finditer(code):
        start = body_start(code, match.end())
        if start is not None:
            types.append((start, matching_brace(code, start), match.group(1)))
    found = []
    for match in DECLARATION.finditer(code):
        start = body_start(code, match.end() - 1)
        if start is None:
            continue
        end = matching_brace(code, start)
        enclosing = [name for (a, b, name) in types if a < match.start() < b]
        name = match.group(1) or match.group(2)
        qualified = ".".join(enclosing[-1:] + [name])
        first, last = line_of(match.start()), line_of(end)
        found.append((last - first + 1, path, first, qualified))
    return found


def swift_files(roots):
    for root in roots:
        if os.path.isfile(root):
            yield root
            continue
        for folder, subfolders, files in os.walk(root):
            subfolders[:] = sorted(d for d in subfolders if not d.startswith("."))
            for name in sorted(files):
                if name.endswith(".swift"):
                    yield os.path.join(folder, name)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("roots", nargs="*", default=["Sources"], help="folders or files (default: Sources)")
    parser.add_argument("--top", type=int, default=15, help="how many functions to list (default: 15)")
    parser.add_argument("--files-over", type=int, metavar="LINES", help="also list the files longer than LINES")
    args = parser.parse_args()
    files = list(swift_files(args.roots))
    if not files:
        print(f"no Swift files under {', '.join(args.roots)}", file=sys.stderr)
        return 2
    found = sorted((f for path in files for f in functions(path)), key=lambda f: (-f[0], f[1], f[2]))
    print(f"| lines | function | where |\n|---:|---|---|")
    for lines, path, line, name in found[: args.top]:
        print(f"| {lines} | `{name}` | {path}:{line} |")
    if args.files_over is not None:
        sizes = [(sum(1 for _ in open(p, encoding="utf-8")), p) for p in files]
        over = sorted((s for s in sizes if s[0] > args.files_over), reverse=True)
        print(f"\n{len(over)} file{'s' if len(over) != 1 else ''} over {args.files_over} lines:")
        for lines, path in over:
            print(f"- {path} ({lines})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
