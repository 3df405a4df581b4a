#!/usr/bin/env python3
"""Check `analyzer signals` against the sourcing-signals fixtures.

Runs, once, from the repository root:

    analyzer signals --format jsonl tests/data/signals

and compares each article with tests/signals/expected.jsonl, one line per
fixture file:

    {"file": NAME, "kind": KIND, "has": [CODE, ...], "lacks": [CODE, ...]}

For every expected file the output must hold one object whose "doc" is the
file name (ids are paths relative to the directory argument) with
  - "kind" equal to KIND,
  - every code in "has" among its signals' codes,
  - no code in "lacks" among them,
  - "score" a number in [0, 1].
Across the run, every page expected to be "ugc" must score strictly below
every page expected to be "news" or "wire".

Also reported: unparseable output lines, malformed records, docs that are
not in expected.jsonl, and duplicate docs (all failures).  A signal whose
"text" cannot be found in its file is printed as a warning only (the
cleaning step may normalise whitespace and punctuation).

Usage: run.py [--analyzer PATH] [--verbose]
The binary defaults to build/analyzer/cli/analyzer under the repository
root; if it does not exist the script exits 77 (skipped).  When
$ANALYZER_WRAPPER is set (e.g. "valgrind -q --error-exitcode=9") the
analyzer runs under it.  Exit status: 0 all passed, 1 any failure.
"""
import argparse
import json
import os
import re
import shlex
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
DATA_REL = os.path.join("tests", "data", "signals")
EXPECTED = os.path.join(HERE, "expected.jsonl")
DEFAULT_BIN = os.path.join(ROOT, "build", "analyzer", "cli", "analyzer")
NEWSROOM_KINDS = ("news", "wire")


class Tally:
    def __init__(self):
        self.passed = 0
        self.failed = 0

    def ok(self, name):
        self.passed += 1
        print(f"ok - {name}")

    def not_ok(self, name, details):
        self.failed += 1
        print(f"not ok - {name}")
        for line in details:
            print(f"#   {line}")


def load_expected():
    rows = []
    with open(EXPECTED, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                rows.append(json.loads(line))
            except ValueError as e:
                sys.exit(f"{EXPECTED}:{n}: bad JSON: {e}")
    return rows


def norm_id(doc):
    """Accept "name.txt", "./name.txt" or a path ending in tests/data/signals/name.txt."""
    doc = str(doc).replace("\\", "/")
    while doc.startswith("./"):
        doc = doc[2:]
    marker = DATA_REL.replace(os.sep, "/") + "/"
    if marker in doc:
        doc = doc.split(marker, 1)[1]
    return doc


def squash(s):
    return re.sub(r"\s+", " ", s).strip().casefold()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--analyzer", default=DEFAULT_BIN,
                    help="analyzer binary (default: build/analyzer/cli/analyzer)")
    ap.add_argument("--verbose", "-v", action="store_true",
                    help="print the signals found for every document")
    args = ap.parse_args()

    binary = os.path.abspath(args.analyzer)
    if not (os.path.isfile(binary) and os.access(binary, os.X_OK)):
        print(f"# skip: analyzer binary not found: {binary}")
        return 77

    expected = load_expected()
    cmd = [binary, "signals", "--format", "jsonl", DATA_REL]
    wrapper = os.environ.get("ANALYZER_WRAPPER")
    if wrapper:
        cmd = shlex.split(wrapper) + cmd
    print("# " + " ".join(shlex.quote(c) for c in cmd))
    try:
        p = subprocess.run(cmd, cwd=ROOT, capture_output=True, timeout=300)
    except subprocess.TimeoutExpired:
        print("not ok - analyzer run\n#   timed out after 300 s")
        print("0 passed, 1 failed")
        return 1

    t = Tally()
    stderr = p.stderr.decode("utf-8", "replace")
    if p.returncode != 0:
        t.not_ok("analyzer exit status",
                 [f"exit status {p.returncode}, want 0"] + stderr.splitlines()[:20])
    else:
        t.ok("analyzer exit status")

    # Parse the output.
    docs, problems = {}, []
    for n, line in enumerate(p.stdout.decode("utf-8", "replace").splitlines(), 1):
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
        except ValueError as e:
            problems.append(f"stdout line {n}: not JSON ({e}): {line[:120]}")
            continue
        if not isinstance(rec, dict) or "doc" not in rec:
            problems.append(f"stdout line {n}: no \"doc\": {line[:120]}")
            continue
        doc = norm_id(rec["doc"])
        if doc in docs:
            problems.append(f"stdout line {n}: doc {doc!r} printed twice")
        docs[doc] = rec
        for key in ("kind", "score", "signals"):
            if key not in rec:
                problems.append(f"{doc}: missing key {key!r}")
        sigs = rec.get("signals", [])
        if not isinstance(sigs, list):
            problems.append(f"{doc}: \"signals\" is not a list")
            rec["signals"] = []
            continue
        for i, s in enumerate(sigs):
            if not isinstance(s, dict) or not isinstance(s.get("code"), str):
                problems.append(f"{doc}: signal {i} has no string \"code\": {s!r}")
                continue
            if "weight" in s and not isinstance(s["weight"], (int, float)):
                problems.append(f"{doc}: signal {i} ({s['code']}) weight is not a number")
            # null: a term about the whole article (a rate, a missing byline)
            if "line" in s and s["line"] is not None and not (isinstance(s["line"], int) and s["line"] >= 1):
                problems.append(f"{doc}: signal {i} ({s['code']}) line is not a positive integer or null")
    if problems:
        t.not_ok("output is well-formed JSON Lines", problems)
    else:
        t.ok("output is well-formed JSON Lines")

    wanted = {row["file"] for row in expected}
    extra = sorted(set(docs) - wanted)
    if extra:
        t.not_ok("no unexpected documents",
                 [f"doc {d!r} is not in expected.jsonl (ids must be file names)" for d in extra])
    else:
        t.ok("no unexpected documents")

    # Per-file expectations.
    scores = {}
    for row in expected:
        name = row["file"]
        rec = docs.get(name)
        label = f"{name} ({row['kind']})"
        if rec is None:
            t.not_ok(label, [f"no output object with doc {name!r}"])
            continue
        sigs = [s for s in rec.get("signals", []) if isinstance(s, dict)]
        codes = {s.get("code") for s in sigs}
        details = []
        if rec.get("kind") != row["kind"]:
            details.append(f"kind {rec.get('kind')!r}, want {row['kind']!r}")
        missing = [c for c in row.get("has", []) if c not in codes]
        if missing:
            details.append("missing codes: " + ", ".join(missing))
        for c in row.get("lacks", []):
            if c in codes:
                hits = [s for s in sigs if s.get("code") == c]
                where = "; ".join(f"line {s.get('line')}: {s.get('text')!r}" for s in hits)
                details.append(f"unexpected code {c}: {where}")
        score = rec.get("score")
        if isinstance(score, bool) or not isinstance(score, (int, float)) or not 0 <= score <= 1:
            details.append(f"score {score!r} is not a number in [0, 1]")
        else:
            scores[name] = float(score)
        if details:
            details.append("codes found: " + (", ".join(sorted(c for c in codes if c)) or "(none)"))
            t.not_ok(label, details)
        else:
            t.ok(label)

        # Span sanity: the matched text should be in the file (warning only).
        path = os.path.join(ROOT, DATA_REL, name)
        try:
            with open(path, encoding="utf-8") as f:
                src = squash(f.read())
        except OSError:
            src = None
        for s in sigs:
            text = s.get("text")
            if s.get("line") is None:
                continue  # a measured rate or an absence, not quoted text
            if src is not None and isinstance(text, str) and text.strip() and squash(text) not in src:
                print(f"# warning: {name}: {s.get('code')} text {text!r} (line {s.get('line')}) not found in the file")
        if args.verbose:
            for s in sigs:
                print(f"#   {name}:{s.get('line')}: {s.get('code')} w={s.get('weight')} {s.get('text')!r}")

    # UGC pages must score below every newsroom page.
    ugc = {r["file"] for r in expected if r["kind"] == "ugc"}
    newsroom = {r["file"] for r in expected if r["kind"] in NEWSROOM_KINDS}
    bad = []
    for u in sorted(ugc):
        for n in sorted(newsroom):
            if u in scores and n in scores and not scores[u] < scores[n]:
                bad.append(f"{u} scores {scores[u]:.4g}, not below {n} at {scores[n]:.4g}")
    unscored = sorted((ugc | newsroom) - set(scores))
    if unscored:
        bad.append("no usable score for: " + ", ".join(unscored))
    if bad:
        t.not_ok("every UGC page scores below every newsroom page", bad)
    else:
        lo = min(scores[n] for n in newsroom)
        hi = max(scores[u] for u in ugc)
        t.ok(f"every UGC page scores below every newsroom page (max UGC {hi:.4g} < min newsroom {lo:.4g})")

    if stderr.strip() and p.returncode == 0:
        for line in stderr.splitlines()[:10]:
            print(f"# stderr: {line}")

    print(f"{t.passed} passed, {t.failed} failed")
    return 1 if t.failed else 0


if __name__ == "__main__":
    sys.exit(main())
