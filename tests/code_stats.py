#!/usr/bin/env python3
"""Size figures of src/ for reviews of the layout: the largest files and the functions over 40
lines. (The import graph: `cargo test --test layout -- --nocapture`.)

Usage: python3 tests/code_stats.py [SRC_DIR]
"""

import pathlib
import re
import sys

LONG = 40
FN = re.compile(r"^\s*(?:pub(?:\([^)]*\))?\s+)?(?:const\s+)?(?:unsafe\s+)?fn\s+(\w+)")


def rust_files(src):
    return sorted(p for p in src.rglob("*.rs"))


def functions(lines):
    """(name, first line, length) of every fn with a body, by brace counting."""
    found = []
    for start, line in enumerate(lines):
        match = FN.match(line)
        if not match:
            continue
        depth, opened = 0, False
        for end in range(start, len(lines)):
            code = lines[end].split("//")[0]
            depth += code.count("{") - code.count("}")
            opened = opened or "{" in code
            if opened and depth <= 0:
                found.append((match.group(1), start + 1, end - start + 1))
                break
            if not opened and code.rstrip().endswith(";"):
                break
    return found


def main():
    src = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "src")
    sizes, long_fns = [], []
    for path in rust_files(src):
        lines = path.read_text().splitlines()
        sizes.append((len(lines), path))
        long_fns += [(n, path, name, at) for name, at, n in functions(lines) if n > LONG]
    print("largest files (lines):")
    for n, path in sorted(sizes, reverse=True)[:10]:
        print(f"  {n:5} {path}")
    print(f"functions over {LONG} lines: {len(long_fns)}")
    for n, path, name, at in sorted(long_fns, reverse=True):
        print(f"  {n:4} {path}:{at} {name}")


if __name__ == "__main__":
    main()
