#!/usr/bin/env python3
"""Specification runner for the numeric-claims grammar (tests/spec/claims.spec).

Usage:
    tests/spec/run.py [--analyzer PATH] [--spec FILE] [--filter SUBSTR]
                      [--no-invariants] [--verbose] [--lint] [--list]

Spec file format (one case):

    ### short name
    Case text: one or more lines of normal prose sentences.
    ---
    {"value": 40000, "low": 36000, "high": 44000, "hedge": "approx", "noun": "troops"}
    ===

Each line between `---` and `===` is one expected claim, as a JSON object
holding a SUBSET of the fields of `analyzer claims --format jsonl`; only the
fields given are compared (numbers with relative tolerance 1e-6, `null`
means the field must be null).  The claims of a case must match in order
and in number; no expectation lines means the text holds no claim at all.
Lines starting with `#` outside a case are comments.

All selected cases go to ONE run of `analyzer claims --format jsonl -` as
JSON Lines records {"id": "case-<n>", "text": ...}, n being the case's
1-based position in the spec file.

Besides the listed fields, every claim printed is checked for these
invariants (turn off with --no-invariants):
  - it has all the fields: doc, text, value, low, high, hedge, noun, unit,
    attributed_to, span, line;
  - `doc` is one of the ids sent; `hedge` is one of exact, approx, upper,
    lower, range, vague;
  - `span` is [start, end), byte offsets into the record's text (the case
    texts pass through the cleaner unchanged), and `text` is exactly those
    bytes;
  - low <= value, and value <= high when high is not null.

Output: `ok N - name` / `not ok N - name` with a diff, then the summary line
`N passed, M failed`.  Exit status: 0 all passed, 1 a case failed (or the
analyzer failed or printed something that is not a JSON object), 2 a bad
spec file or usage, 77 the analyzer binary is missing.

$ANALYZER_WRAPPER (e.g. "valgrind -q"), when set, is put before the binary.
"""
import argparse
import json
import math
import os
import re
import shlex
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
DEFAULT_ANALYZER = os.path.join(ROOT, "build", "analyzer", "cli", "analyzer")
DEFAULT_SPEC = os.path.join(HERE, "claims.spec")

FIELDS = ("doc", "text", "value", "low", "high", "hedge", "noun", "unit",
          "attributed_to", "span", "line")
EXPECTABLE = set(FIELDS) - {"doc"}
HEDGES = ("exact", "approx", "upper", "lower", "range", "vague")
NUMERIC = ("value", "low", "high")
STRINGY = ("text", "noun", "unit", "attributed_to")
SENTENCE_END = re.compile(r"[.!?][\"'\u201d\u2019)\]]*$")


class SpecError(Exception):
    pass


class Case:
    def __init__(self, n, name, lineno):
        self.n = n
        self.name = name
        self.lineno = lineno
        self.text_lines = []
        self.text = ""
        self.expect = []

    @property
    def id(self):
        return "case-%d" % self.n


def is_number(x):
    return isinstance(x, (int, float)) and not isinstance(x, bool)


def check_expectation(obj, where):
    if not isinstance(obj, dict):
        raise SpecError("%s: an expectation must be a JSON object" % where)
    for k, v in obj.items():
        if k not in EXPECTABLE:
            raise SpecError("%s: unknown field %r (fields: %s)"
                            % (where, k, ", ".join(sorted(EXPECTABLE))))
        if k in NUMERIC and not (v is None or is_number(v)):
            raise SpecError("%s: %s must be a number or null" % (where, k))
        if k == "value" and v is None:
            raise SpecError("%s: value cannot be null" % where)
        if k in STRINGY and not (v is None or isinstance(v, str)):
            raise SpecError("%s: %s must be a string or null" % (where, k))
        if k == "hedge" and v not in HEDGES:
            raise SpecError("%s: hedge must be one of %s" % (where, ", ".join(HEDGES)))
        if k == "span" and not (isinstance(v, list) and len(v) == 2
                                and all(is_number(x) for x in v)):
            raise SpecError("%s: span must be [start, end]" % where)
        if k == "line" and not is_number(v):
            raise SpecError("%s: line must be a number" % where)


def lint_text(case):
    where = "case %d (%s, line %d)" % (case.n, case.name, case.lineno)
    if not case.text.strip():
        raise SpecError("%s: empty text" % where)
    for line in case.text.split("\n"):
        if line.strip() and not SENTENCE_END.search(line.rstrip()):
            raise SpecError("%s: every text line must end a sentence (. ! ?): %r"
                            % (where, line))
    if len(case.text.split()) < 5:
        raise SpecError("%s: the text must be at least 5 words long" % where)


def parse_spec(path):
    cases, names = [], set()
    cur, state = None, "out"
    with open(path, encoding="utf-8") as f:
        for lineno, raw in enumerate(f, 1):
            line = raw.rstrip("\n").rstrip("\r")
            where = "%s:%d" % (path, lineno)
            if state == "out":
                if line.startswith("###"):
                    name = line[3:].strip()
                    if not name:
                        raise SpecError("%s: case without a name" % where)
                    if name in names:
                        raise SpecError("%s: duplicate case name %r" % (where, name))
                    names.add(name)
                    cur = Case(len(cases) + 1, name, lineno)
                    state = "text"
                elif not line.strip() or line.startswith("#"):
                    continue
                else:
                    raise SpecError("%s: text outside a case (a case starts with '### name')"
                                    % where)
            elif state == "text":
                if line == "---":
                    lines = cur.text_lines
                    while lines and not lines[0].strip():
                        lines.pop(0)
                    while lines and not lines[-1].strip():
                        lines.pop()
                    cur.text = "\n".join(lines)
                    lint_text(cur)
                    state = "expect"
                elif line.startswith("###") or line == "===":
                    raise SpecError("%s: case %r has no '---' line" % (where, cur.name))
                else:
                    cur.text_lines.append(line)
            else:  # expect
                if line == "===":
                    cases.append(cur)
                    cur, state = None, "out"
                elif not line.strip():
                    continue
                elif line.startswith("###") or line == "---":
                    raise SpecError("%s: case %r has no '===' line" % (where, cur.name))
                else:
                    try:
                        obj = json.loads(line)
                    except ValueError as e:
                        raise SpecError("%s: bad JSON: %s" % (where, e))
                    check_expectation(obj, where)
                    cur.expect.append(obj)
    if cur is not None:
        raise SpecError("%s: case %r is not closed with '==='" % (path, cur.name))
    return cases


def same(want, got):
    if want is None:
        return got is None
    if is_number(want):
        return is_number(got) and math.isclose(want, got, rel_tol=1e-6, abs_tol=1e-9)
    if isinstance(want, list):
        return (isinstance(got, list) and len(want) == len(got)
                and all(same(a, b) for a, b in zip(want, got)))
    return want == got


def dumps(obj):
    return json.dumps(obj, ensure_ascii=False)


def invariant_problems(claim, case):
    probs = []
    missing = [k for k in FIELDS if k not in claim]
    if missing:
        probs.append("missing fields: " + ", ".join(missing))
    if "hedge" in claim and claim["hedge"] not in HEDGES:
        probs.append("hedge %s is not one of %s" % (dumps(claim["hedge"]), "|".join(HEDGES)))
    v, lo, hi = claim.get("value"), claim.get("low"), claim.get("high")
    if "value" in claim and not is_number(v):
        probs.append("value is not a number")
    if "low" in claim and not is_number(lo):
        probs.append("low is not a number")
    if "high" in claim and not (hi is None or is_number(hi)):
        probs.append("high is not a number or null")
    if is_number(v) and is_number(lo) and lo > v * (1 + 1e-9) + 1e-9:
        probs.append("low %s > value %s" % (lo, v))
    if is_number(v) and is_number(hi) and v > hi * (1 + 1e-9) + 1e-9:
        probs.append("value %s > high %s" % (v, hi))
    span = claim.get("span")
    if "span" in claim:
        raw = case.text.encode("utf-8")
        if not (isinstance(span, list) and len(span) == 2
                and all(isinstance(x, int) and not isinstance(x, bool) for x in span)
                and 0 <= span[0] < span[1] <= len(raw)):
            probs.append("span %s is not [start, end) inside the %d-byte text"
                         % (dumps(span), len(raw)))
        elif "text" in claim:
            surface = raw[span[0]:span[1]].decode("utf-8", "replace")
            if surface != claim["text"]:
                probs.append("text %s is not the bytes at span %s: %s"
                             % (dumps(claim["text"]), dumps(span), dumps(surface)))
    return probs


def compare(case, got, invariants):
    """Return the list of diff lines (empty when the case passes)."""
    diff = []
    for i in range(max(len(case.expect), len(got))):
        if i >= len(got):
            diff.append("missing claim %d: want %s" % (i + 1, dumps(case.expect[i])))
            continue
        claim = got[i]
        if i >= len(case.expect):
            diff.append("extra claim %d: %s" % (i + 1, dumps(claim)))
            continue
        want = case.expect[i]
        bad = []
        for k, wv in want.items():
            if k not in claim:
                bad.append("%s: want %s, field missing" % (k, dumps(wv)))
            elif not same(wv, claim[k]):
                bad.append("%s: want %s, got %s" % (k, dumps(wv), dumps(claim[k])))
        if invariants:
            bad += ["invariant: " + p for p in invariant_problems(claim, case)]
        if bad:
            diff.append("claim %d:" % (i + 1))
            diff += ["  " + b for b in bad]
            diff.append("  got %s" % dumps(claim))
    return diff


def comment(text, indent="#   "):
    return "\n".join(indent + l for l in text.split("\n"))


def main():
    ap = argparse.ArgumentParser(description="Run the numeric-claims spec.")
    ap.add_argument("--analyzer", default=DEFAULT_ANALYZER,
                    help="analyzer binary (default: %(default)s)")
    ap.add_argument("--spec", default=DEFAULT_SPEC, help="spec file (default: %(default)s)")
    ap.add_argument("--filter", default=None, metavar="SUBSTR",
                    help="run only cases whose name contains SUBSTR (case-insensitive)")
    ap.add_argument("--no-invariants", action="store_true",
                    help="compare only the fields listed in the spec")
    ap.add_argument("--verbose", "-v", action="store_true",
                    help="also show the claims of passing cases")
    ap.add_argument("--lint", action="store_true",
                    help="only check the spec file, print counts, and exit")
    ap.add_argument("--list", action="store_true", help="list the case names and exit")
    ap.add_argument("--timeout", type=float, default=300, help="seconds (default: 300)")
    args = ap.parse_args()

    try:
        cases = parse_spec(args.spec)
    except (OSError, SpecError) as e:
        print("spec error: %s" % e, file=sys.stderr)
        return 2

    if args.lint or args.list:
        if args.list:
            for c in cases:
                print("%d\t%s\t%d claim(s)" % (c.n, c.name, len(c.expect)))
        neg = sum(1 for c in cases if not c.expect)
        print("%d cases: %d positive, %d negative, %d expected claims"
              % (len(cases), len(cases) - neg, neg, sum(len(c.expect) for c in cases)))
        return 0

    if args.filter is not None:
        sel = [c for c in cases if args.filter.lower() in c.name.lower()]
        if not sel:
            print("no case name contains %r" % args.filter, file=sys.stderr)
            return 2
    else:
        sel = cases

    analyzer = args.analyzer
    if not (os.path.isfile(analyzer) and os.access(analyzer, os.X_OK)):
        print("1..0 # SKIP analyzer binary not found: %s" % analyzer)
        return 77

    records = "".join(dumps({"id": c.id, "text": c.text}) + "\n" for c in sel)
    cmd = shlex.split(os.environ.get("ANALYZER_WRAPPER", "")) + [
        os.path.abspath(analyzer), "claims", "--format", "jsonl", "-"]
    print("1..%d" % len(sel))
    failure = None
    try:
        p = subprocess.run(cmd, input=records.encode("utf-8"), capture_output=True,
                           timeout=args.timeout)
        rc, out = p.returncode, p.stdout.decode("utf-8", "replace")
        err = p.stderr.decode("utf-8", "replace").rstrip("\n")
    except subprocess.TimeoutExpired:
        rc, out, err = None, "", ""
        failure = "the analyzer did not finish within %g s" % args.timeout
    except OSError as e:
        rc, out, err = None, "", ""
        failure = "cannot run the analyzer: %s" % e

    if failure is None and rc != 0:
        failure = "the analyzer exited with status %d" % rc
    if failure is not None:
        print("# " + failure + ": " + " ".join(shlex.quote(a) for a in cmd))
        if err:
            errl = err.split("\n")
            print(comment("\n".join(errl[:40]) + ("\n..." if len(errl) > 40 else ""),
                          "#   stderr: "))
    elif err:
        print(comment(err, "# analyzer stderr: "))

    ids = {c.id: c for c in sel}
    got = {c.id: [] for c in sel}
    output_problems = []
    if failure is None:
        for k, line in enumerate(out.split("\n"), 1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except ValueError:
                output_problems.append("output line %d is not JSON: %s" % (k, line[:200]))
                continue
            if not isinstance(obj, dict):
                output_problems.append("output line %d is not a JSON object: %s"
                                       % (k, line[:200]))
            elif obj.get("doc") not in ids:
                output_problems.append("output line %d has an unknown doc: %s"
                                       % (k, line[:200]))
            else:
                got[obj["doc"]].append(obj)
        for prob in output_problems:
            print("# " + prob)

    passed = failed = 0
    for c in sel:
        if failure is not None:
            print("not ok %d - %s" % (c.n, c.name))
            print("#   (no output: %s, see above)" % failure)
            failed += 1
            continue
        diff = compare(c, got[c.id], not args.no_invariants)
        if diff:
            failed += 1
            print("not ok %d - %s" % (c.n, c.name))
            print(comment("text: " + c.text.replace("\n", "\n      ")))
            print(comment("\n".join(diff)))
        else:
            passed += 1
            print("ok %d - %s" % (c.n, c.name))
            if args.verbose:
                for claim in got[c.id]:
                    print(comment(dumps(claim)))
    print("%d passed, %d failed" % (passed, failed))
    if output_problems:
        print("%d output line(s) could not be matched to a case" % len(output_problems))
    return 1 if failed or output_problems or failure else 0


if __name__ == "__main__":
    sys.exit(main())
