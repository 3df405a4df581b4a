#!/usr/bin/env python3
"""report.json validates against docs/report.schema.json: the golden report
of the demo corpus, and a report over the mixed good-and-bad inputs
(errors section). Uses Debian's python3-jsonschema (scripts/setup)."""
import json
import os
import subprocess
import sys
import tempfile

try:
    import jsonschema
except ImportError:
    print("python3-jsonschema is not installed (scripts/setup installs it); skipped")
    sys.exit(77)

analyzer, root = os.path.abspath(sys.argv[1]), sys.argv[2]
with open(os.path.join(root, "docs", "report.schema.json")) as f:
    schema = json.load(f)
jsonschema.Draft202012Validator.check_schema(schema)
validator = jsonschema.Draft202012Validator(schema)
failed = 0
for name, inputs in (("demo corpus", ["corpus/"]), ("mixed inputs", ["tests/data/mixed"]),
                     ("claims fixture", ["tests/data/claims"])):
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([analyzer, "report", "-q", "--format", "json", "-o", tmp] + inputs,
                       cwd=root, check=True)
        with open(os.path.join(tmp, "report.json")) as f:
            report = json.load(f)
    errors = sorted(validator.iter_errors(report), key=lambda e: list(e.path))
    for e in errors[:10]:
        print(f"{name}: {'/'.join(map(str, e.path))}: {e.message}")
    print(("ok - " if not errors else "not ok - ") + f"{name} validates")
    failed += bool(errors)
print(f"{3 - failed} passed, {failed} failed")
sys.exit(1 if failed else 0)
