#!/usr/bin/env python3
"""report.html in headless Chromium (Debian's chromium): the page loads
and renders (a screenshot is taken), needs no network, and the hostile
markup in the corpus (tests/data/mixed/feed.jsonl: a <script> and an
<img onerror>) shows as text and did not run. Skips (77) without
chromium."""
import os
import re
import shutil
import subprocess
import sys
import tempfile

analyzer, root = os.path.abspath(sys.argv[1]), sys.argv[2]
chromium = shutil.which("chromium") or shutil.which("chromium-browser")
if not chromium:
    print("no chromium (scripts/setup --test installs it); skipped")
    sys.exit(77)
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
checks = []
with tempfile.TemporaryDirectory() as tmp:
    subprocess.run([analyzer, "report", "-q", "--format", "html", "-o", tmp, "tests/data/mixed",
                    "tests/data/dups", "tests/data/claims"], cwd=root, check=True)
    page = "file://" + os.path.join(tmp, "report.html")
    profile = os.path.join(tmp, "profile")
    dom = subprocess.run([chromium] + FLAGS + ["--user-data-dir=" + profile, "--dump-dom", page],
                         capture_output=True, text=True, timeout=120).stdout
    shot = os.path.join(tmp, "report.png")
    subprocess.run([chromium] + FLAGS + ["--user-data-dir=" + profile, "--window-size=1280,2000",
                    "--screenshot=" + shot, page], capture_output=True, timeout=120)
    with open(os.path.join(tmp, "report.html"), encoding="utf-8") as f:
        source = f.read()
    checks += [
        ("the page rendered to a screenshot", os.path.exists(shot) and os.path.getsize(shot) > 10000),
        ("the DOM was dumped", "<h1>analyzer report</h1>" in dom),
        ("no <script> element in the page", "<script" not in dom.lower()),
        ("no <img> element in the page", "<img" not in dom.lower()),
        ("the hostile <script> shows as text", "&lt;script&gt;alert('x')&lt;/script&gt;" in dom),
        ("the hostile <img onerror> shows as text", "&lt;img src=x onerror=alert(1)&gt;" in dom),
        ("no network reference in the page", not re.search(r"(src|href)=\"https?:", source)),
        ("the conflicts chart is inline SVG", "<svg" in dom),
    ]
failed = 0
for name, ok in checks:
    print(("ok - " if ok else "not ok - ") + name)
    failed += not ok
print(f"{len(checks) - failed} passed, {failed} failed")
sys.exit(1 if failed else 0)
