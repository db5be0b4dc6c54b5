#!/usr/bin/env python3
"""Checks that every ```swift block of README.md is in the downstream package, verbatim.

    python3 Scripts/check_readme_blocks.py      # exit 1 naming each block that is missing

Tests/Downstream (built and run by Scripts/run_downstream.sh, from Scripts/test.sh) is the proof
that the README's code compiles and runs for a package that depends on swift-bert:
- a block that starts with the line `// Package.swift` is the dependency snippet: the rest of
  it, with its `path: "…"` replaced by the downstream's own `path: "../.."`, must be in
  Tests/Downstream/Package.swift;
- every other block must be in one of Tests/Downstream/Sources/*/main.swift (each program holds
  its block — after the set-up a fragment needs, if any — and then prints results for
  Scripts/check_readme_output.py).
Standard library only.
"""
import glob
import os
import re
import sys

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
DOWNSTREAM = os.path.join(ROOT, "Tests", "Downstream")


def readme_blocks(text):
    """(line number, code) of each ```swift block."""
    blocks = []
    for m in re.finditer(r"^```swift\n(.*?)^```$", text, re.S | re.M):
        blocks.append((text.count("\n", 0, m.start()) + 1, m.group(1)))
    return blocks


def main():
    with open(os.path.join(ROOT, "README.md"), encoding="utf-8") as f:
        readme = f.read()
    with open(os.path.join(DOWNSTREAM, "Package.swift"), encoding="utf-8") as f:
        manifest = f.read()
    sources = {}
    for path in sorted(glob.glob(os.path.join(DOWNSTREAM, "Sources", "*", "main.swift"))):
        with open(path, encoding="utf-8") as f:
            sources[os.path.relpath(path, ROOT)] = f.read()
    blocks = readme_blocks(readme)
    missing = []
    for line, code in blocks:
        if code.startswith("// Package.swift\n"):
            body = re.sub(r'path: "[^"]*"', 'path: "../.."', code[len("// Package.swift\n"):])
            where = "Tests/Downstream/Package.swift" if body in manifest else None
        else:
            where = next((p for p, text in sources.items() if code in text), None)
        print(f"README.md:{line}: {'in ' + where if where else 'MISSING from Tests/Downstream'}")
        if where is None:
            missing.append(line)
    if not blocks:
        sys.exit("README.md has no ```swift block")
    if missing:
        sys.exit(f"{len(missing)} README Swift block(s) are not in Tests/Downstream verbatim (lines {missing}): "
                 "copy the block there (or change the README back)")
    print(f"check_readme_blocks: {len(blocks)} passed, 0 failed")


if __name__ == "__main__":
    main()
