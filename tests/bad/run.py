#!/usr/bin/env python3
"""Bad inputs beside good ones in one corpus: invalid UTF-8, NUL bytes, an
empty file, random binary, HTML nested 200,000 levels deep, a 60 MB file,
JSON Lines with broken lines and records missing their text. `analyzer
report` must finish inside a 2 GiB address space (when not under a wrapper
or a sanitizer), analyse every good article, and name every bad input, with
its line, in report.json `errors` and on stderr.

usage: run.py ANALYZER"""
import json, os, random, sys, tempfile

analyzer = sys.argv[1]
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from limits import Checks, Runner  # noqa: E402

runner = Runner(analyzer)
check = Checks()


GOOD = ("KORRIN - The ferry to Korrin resumed on Wednesday after the storm, the "
        "port authority said. About 1,200 people had spent the night in the sports "
        "hall, according to the town council, which said the harbour wall had given "
        "way shortly before midnight.\n")

with tempfile.TemporaryDirectory() as d:
    c = os.path.join(d, "corpus")
    os.mkdir(c)

    def put(name, data):
        with open(os.path.join(c, name), "wb") as f:
            f.write(data)

    put("good-1.txt", GOOD.encode())
    put("good-2.html", ("<html><head><title>Storm</title></head><body><article><p>"
                        + GOOD + "</p></article></body></html>").encode())
    put("bad-utf8.txt", b"The wall \xff\xfe gave way.\n")
    put("nul.txt", b"The wall gave\x00 way.\n")
    put("empty.txt", b"")
    put("binary.txt", random.Random(1).randbytes(4096))
    put("deep.html", b"<html><body>" + b"<div>" * 200000 + b"<p>Deep text.</p>"
        + b"</div>" * 200000 + b"</body></html>")
    with open(os.path.join(c, "huge.txt"), "wb") as f:
        line = b"The river rose again overnight, officials said. " * 20 + b"\n"
        while f.tell() < 60 << 20:
            f.write(line)
    records = [
        json.dumps({"id": "rec-good", "text": GOOD}),
        '{"id": "rec-broken", "text": "unterminated',
        json.dumps({"id": "rec-notext", "outlet": "Harbour Post"}),
        "not json at all",
        json.dumps({"id": "rec-good-2", "text": GOOD.replace("Wednesday", "Thursday")}),
        # An escaped NUL would end the text there: the rest unseen.
        json.dumps({"id": "rec-nul", "text": GOOD + "\u0000" + GOOD}),
        # An escaped backslash before "u0000" is no NUL.
        json.dumps({"id": "rec-backslash", "text": GOOD.replace("night", "night \\u0000")}),
    ]
    put("feed.jsonl", ("\n".join(records) + "\n").encode())

    out = os.path.join(d, "out")
    r = runner.run(["report", "--format", "json", "-o", out, c])
    check(r.returncode == 0, f"report exit {r.returncode}: {r.stderr[-800:]}")
    rep = json.load(open(os.path.join(out, "report.json"))) if r.returncode == 0 else {}
    ids = sorted(doc["id"] for doc in rep.get("documents", []))
    check(ids == ["good-1.txt", "good-2.html", "rec-backslash", "rec-good", "rec-good-2"],
          f"good articles analysed: {ids}")
    errs = {(os.path.basename(e["input"]), e["line"]) for e in rep.get("errors", [])}
    want = {("bad-utf8.txt", 1), ("nul.txt", 1), ("empty.txt", 0), ("binary.txt", 1),
            ("huge.txt", 0), ("feed.jsonl", 2), ("feed.jsonl", 3), ("feed.jsonl", 4),
            ("feed.jsonl", 6)}
    for w in sorted(want):
        check(w in errs, f"error named: {w[0]} line {w[1]} (got {sorted(errs)})")
    # The deep page is an error (its text is below libxml2's depth limit) or
    # a document: never a crash; either way it is accounted for.
    check(("deep.html", 0) in errs or "deep.html" in ids, "deep.html accounted for")
    for name, line in want:
        check(any(name in l and (line == 0 or f":{line}:" in l) for l in r.stderr.splitlines()),
              f"stderr names {name}:{line}")

print(("ok" if check.failures == 0 else f"{check.failures} failed") + runner.note)
sys.exit(1 if check.failures else 0)
