#!/usr/bin/env python3
"""Golden test: `analyzer report --format json` over corpus/ must equal
tests/golden/corpus.report.json byte for byte, twice in a row (the output
is deterministic). With --update, rewrite the expected file instead."""
import difflib
import os
import subprocess
import sys
import tempfile


def report(analyzer, root):
    wrapper = os.environ.get("ANALYZER_WRAPPER", "").split()
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(wrapper + [analyzer, "report", "--quiet", "--format", "json",
                        "-o", tmp, "corpus/"], cwd=root, check=True)
        with open(os.path.join(tmp, "report.json"), "rb") as f:
            return f.read()


def main():
    analyzer, root = os.path.abspath(sys.argv[1]), sys.argv[2]
    golden = os.path.join(root, "tests", "golden", "corpus.report.json")
    got = report(analyzer, root)
    if "--update" in sys.argv:
        with open(golden, "wb") as f:
            f.write(got)
        print(f"wrote {golden}")
        return 0
    if report(analyzer, root) != got:
        print("two runs over the same corpus gave different reports")
        return 1
    with open(golden, "rb") as f:
        want = f.read()
    if got == want:
        print("report.json matches tests/golden/corpus.report.json")
        return 0
    diff = difflib.unified_diff(want.decode().splitlines(), got.decode().splitlines(),
                                "expected", "got", lineterm="", n=2)
    print("\n".join(list(diff)[:80]))
    print("(scripts/update-golden rewrites the expected file after a deliberate change)")
    return 1


if __name__ == "__main__":
    sys.exit(main())
