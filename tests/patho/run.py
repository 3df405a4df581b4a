#!/usr/bin/env python3
"""Pathological but valid corpora finish inside a memory bound with the
right answer: N identical articles (one LSH bucket, one exact-duplicate
group: N - 1 pairs, one cluster), one article of a single token repeated
200,000 times (no pairs), and N one-word articles (no article text: each
record named on stderr, exit 2).

usage: run.py ANALYZER [N]   (N default 20000)
The address-space limit (2 GiB) is what bounds memory here; it is not set
under a wrapper (valgrind, ASan reserve far more address space)."""
import json, os, sys, tempfile

analyzer = sys.argv[1]
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from limits import Checks, Runner  # noqa: E402

runner = Runner(analyzer)
# Under a wrapper (memcheck) a tenth: the point there is errors, not the bound.
n = int(sys.argv[2]) if len(sys.argv) > 2 else 20000 if len(runner.cmd) == 1 else 2000
check = Checks()


def dups(path, want_rc=0):
    r = runner.run(["dups", path])
    check(r.returncode == want_rc, f"{os.path.basename(path)}: exit {r.returncode}: "
          f"{r.stderr[-500:]}")
    return [json.loads(line) for line in r.stdout.splitlines()], r.stderr


with tempfile.TemporaryDirectory() as d:
    text = ("The river rose two metres overnight and the ferry to Korrin was cancelled, "
            "the port authority said on Tuesday, adding that crews would inspect the "
            "harbour wall once the water had fallen back.")
    p = os.path.join(d, "identical.jsonl")
    with open(p, "w") as f:
        for i in range(n):
            f.write(json.dumps({"id": f"i{i:06d}", "outlet": "Harbour Post",
                                "published": "2031-04-02", "text": text}) + "\n")
    out, _ = dups(p)
    pairs = [o for o in out if o["type"] == "pair"]
    clusters = [o for o in out if o["type"] == "cluster"]
    check(len(pairs) == n - 1, f"identical: {len(pairs)} pairs, want {n - 1}")
    check(len(clusters) == 1 and len(clusters[0]["members"]) == n,
          f"identical: want one cluster of {n}")

    p = os.path.join(d, "one-token.jsonl")
    with open(p, "w") as f:
        f.write(json.dumps({"id": "rep", "text": " ".join(["flood"] * 200000)}) + "\n")
        f.write(json.dumps({"id": "other", "text": text}) + "\n")
    check(dups(p)[0] == [], "one token: no pairs")

    p = os.path.join(d, "one-word.jsonl")
    words = ["flood", "river", "dam", "rain", "storm"]
    with open(p, "w") as f:
        for i in range(n):
            f.write(json.dumps({"id": f"w{i:06d}", "text": words[i % 5]}) + "\n")
    # One word is no article text: each record is named, none is paired.
    out, err = dups(p, want_rc=2)
    named = sum(1 for line in err.splitlines() if "no article text left" in line)
    check(out == [] and named == n, f"one-word articles: {named} of {n} named as errors")

print(("ok" if check.failures == 0 else f"{check.failures} failed") + runner.note)
sys.exit(1 if check.failures else 0)
