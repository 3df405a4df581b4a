#!/usr/bin/env python3
"""Run one command-line case: tests/cli/cases/NAME.case.

A case file holds the command, the exit status it must end with, and the
exact standard output (and optionally standard error) it must print:

    # what this case checks
    cmd: analyzer clean tests/data/mixed/story.txt
    exit: 0
    --- stdout
    ...exact text...
    --- stderr
    ...exact text...

The temporary directory's path is written back as @TMP@ in the output
before comparing. The command runs through /bin/sh in the source root, with `analyzer`
meaning the binary under test (run under $ANALYZER_WRAPPER when that is
set, e.g. valgrind by `meson test --setup=valgrind`). `--- stdout` and `--- stderr` sections are
optional: a missing section is not compared. `@TMP@` in the command is a
fresh temporary directory.
"""
import os
import subprocess
import sys
import tempfile


def parse(path):
    meta, sections, cur = {}, {}, None
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("--- "):
                cur = line[4:].strip()
                sections[cur] = ""
            elif cur is not None:
                sections[cur] += line
            elif line.startswith("#") or not line.strip():
                continue
            else:
                key, _, value = line.partition(":")
                meta[key.strip()] = value.strip()
    return meta, sections


def main():
    analyzer, root, case = sys.argv[1:4]
    meta, sections = parse(case)
    with tempfile.TemporaryDirectory() as tmp:
        cmd = meta["cmd"].replace("@TMP@", tmp)
        bindir = os.path.dirname(os.path.abspath(analyzer))
        wrapper = os.environ.get("ANALYZER_WRAPPER")
        if wrapper:
            bindir = os.path.join(tmp, ".bin")
            os.mkdir(bindir)
            shim = os.path.join(bindir, "analyzer")
            with open(shim, "w") as f:
                f.write(f'#!/bin/sh\nexec {wrapper} "{os.path.abspath(analyzer)}" "$@"\n')
            os.chmod(shim, 0o755)
        env = dict(os.environ, PATH=bindir + os.pathsep + os.environ.get("PATH", ""))
        p = subprocess.run(cmd, shell=True, cwd=root, env=env,
                           capture_output=True, timeout=600)
        outputs = {"stdout": p.stdout.decode("utf-8", "replace").replace(tmp, "@TMP@"),
                   "stderr": p.stderr.decode("utf-8", "replace").replace(tmp, "@TMP@")}
    ok = True
    want_exit = int(meta.get("exit", "0"))
    if p.returncode != want_exit:
        print(f"exit status {p.returncode}, want {want_exit}")
        ok = False
    for name, text in outputs.items():
        if name not in sections:
            continue
        if text != sections[name]:
            print(f"--- {name} differs; got:\n{text}--- want:\n{sections[name]}", end="")
            ok = False
    if not ok:
        print(f"case: {case}\ncmd: {meta['cmd']}\nstderr:\n{p.stderr.decode('utf-8', 'replace')}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
