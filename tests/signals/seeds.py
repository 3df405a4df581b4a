#!/usr/bin/env python3
"""The seed pages' sourcing, as issue 5 states it: the CNN iReport (002) is
ugc with an unverified signal and scores lowest; TIME (001) credits
Reuters; the Foreign Desk Report (003) credits agencies; no newsroom page
is ugc. Skips (77) without ../shared/seeds."""
import json
import os
import subprocess
import sys

root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
seeds = os.path.join(root, "..", "shared", "seeds")
analyzer = sys.argv[1] if len(sys.argv) > 1 else os.path.join(root, "build", "analyzer", "cli", "analyzer")
if not os.path.isdir(seeds):
    print("no ../shared/seeds; skipped")
    sys.exit(77)
out = subprocess.run([analyzer, "signals", "-q", seeds], capture_output=True, text=True, check=True).stdout
docs = {d["doc"][:3]: d for d in map(json.loads, out.splitlines())}
codes = {k: [s["code"] for s in d["signals"]] for k, d in docs.items()}
texts = {k: " ".join(s["text"] for s in d["signals"] if s["code"] == "wire-credit") for k, d in docs.items()}
checks = [
    ("002 is ugc", docs["002"]["kind"] == "ugc"),
    ("002 carries ugc-unverified", "ugc-unverified" in codes["002"]),
    ("002 scores lowest", docs["002"]["score"] == min(d["score"] for d in docs.values())),
    ("001 credits Reuters", "Reuters" in texts["001"]),
    ("003 credits agencies", "Agencies" in texts["003"]),
    ("no newsroom page is ugc", all(d["kind"] != "ugc" for k, d in docs.items() if k != "002")),
]
failed = 0
for name, ok in checks:
    print(("ok - " if ok else "not ok - ") + name)
    failed += not ok
print(f"{len(checks) - failed} passed, {failed} failed")
sys.exit(1 if failed else 0)
