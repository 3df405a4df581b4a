#!/usr/bin/env python3
"""Distributed runs equal the single process, byte for byte.

`mpirun --oversubscribe -np 2` and `-np 3` (with --allow-run-as-root when
run as root, as CI is) run `analyzer dups --mpi` on:
  - the demo corpus (HTML boilerplate learnt across an outlet's pages,
    manifests, credited and uncredited copies), as JSON Lines and as text;
  - 3,000 articles made by scripts/bench-scale's generator in 16 JSON Lines
    shards (records are dealt to the ranks by line);
  - the demo corpus beside bad inputs (invalid UTF-8, an empty file, broken
    JSON Lines records): each error is listed once, as by one process;
and standard input with --mpi is refused with a clear message, a gzip
file skipped as an input error (neither can be read again at an offset).

`analyzer report --mpi` on 1, 2 and 3 ranks writes the same report.json,
report.html and report.md as one process: on the demo corpus, on the
3,000 generated articles and on the bad inputs.

Skips (77) when mpirun is absent or the analyzer was built without Open MPI.

usage: run.py ANALYZER SOURCE_ROOT"""
import os, shutil, subprocess, sys, tempfile

analyzer, root = sys.argv[1], sys.argv[2]
mpirun = shutil.which("mpirun")
if not mpirun:
    print("SKIP: no mpirun (scripts/setup installs openmpi-bin)")
    sys.exit(77)
probe = subprocess.run([analyzer, "dups", "--mpi", os.devnull], capture_output=True, text=True)
if "built without Open MPI" in probe.stderr:
    print("SKIP: analyzer built without Open MPI")
    sys.exit(77)

MPI = [mpirun, "--oversubscribe"] + (["--allow-run-as-root"] if os.geteuid() == 0 else [])
env = dict(os.environ)
# Open MPI keeps its own allocations until exit; under a sanitizer build
# LeakSanitizer would report those, not ours (memory errors still abort).
env["ASAN_OPTIONS"] = (env.get("ASAN_OPTIONS", "") + ":detect_leaks=0").lstrip(":")
failures = 0


def check(cond, what):
    global failures
    if not cond:
        failures += 1
        print(f"FAIL: {what}")


def run(cmd, stdin=None):
    return subprocess.run(cmd, capture_output=True, text=True, env=env, input=stdin,
                          timeout=600)


def compare(name, args):
    one = run([analyzer, "dups", "-j", "2"] + args)
    check(one.returncode == 0, f"{name}: single process exit {one.returncode}: {one.stderr[-500:]}")
    for ranks in (2, 3):
        many = run(MPI + ["-np", str(ranks), analyzer, "dups", "--mpi", "-j", "1"] + args)
        check(many.returncode == one.returncode,
              f"{name}: {ranks} ranks exit {many.returncode}: {many.stderr[-800:]}")
        check(many.stdout == one.stdout,
              f"{name}: {ranks} ranks: output differs from the single process "
              f"({len(many.stdout)} vs {len(one.stdout)} bytes)")
        # Input errors, once each, in the same order (rank 0 prints them).
        errs = lambda r: [l for l in r.stderr.splitlines() if l.startswith(("/", "analyzer:"))]
        check(errs(many) == errs(one), f"{name}: {ranks} ranks: stderr errors differ:\n"
              f"{errs(many)}\nvs\n{errs(one)}")
    return one


def compare_report(name, args):
    with tempfile.TemporaryDirectory() as out:
        one = run([analyzer, "report", "-q", "-j", "2", "-o", os.path.join(out, "one")] + args)
        check(one.returncode == 0, f"{name}: report, single process exit {one.returncode}: "
              f"{one.stderr[-500:]}")
        for ranks in (1, 2, 3):
            dest = os.path.join(out, str(ranks))
            many = run(MPI + ["-np", str(ranks), analyzer, "report", "--mpi", "-q", "-j", "1",
                              "-o", dest] + args)
            check(many.returncode == 0, f"{name}: report, {ranks} ranks exit "
                  f"{many.returncode}: {many.stderr[-800:]}")
            for page in ("report.json", "report.html", "report.md"):
                a, b = os.path.join(out, "one", page), os.path.join(dest, page)
                same = os.path.exists(b) and open(a, "rb").read() == open(b, "rb").read()
                check(same, f"{name}: report, {ranks} ranks: {page} differs from the "
                      f"single process")


corpus = os.path.join(root, "corpus")
compare_report("demo corpus", [corpus])
one = compare("demo corpus", [corpus])
check(one.stdout.count('"type":"pair"') >= 5, "demo corpus: pairs expected")
compare("demo corpus, text", ["--format", "text", corpus])

with tempfile.TemporaryDirectory() as d:
    gen = subprocess.run([sys.executable, os.path.join(root, "scripts", "bench-scale"), "3000",
                          "--keep", d, "--generate"], capture_output=True, text=True)
    check(gen.returncode == 0, f"generator: {gen.stdout[-300:]}{gen.stderr[-300:]}")
    if gen.returncode == 0:
        one = compare("3,000 generated articles", [os.path.join(d, "corpus")])
        compare_report("3,000 generated articles", [os.path.join(d, "corpus")])
        check(one.stdout.count('"type":"cluster"') >= 50,
              "generated corpus: clusters of wire copies expected")

    bad = os.path.join(d, "bad")
    os.mkdir(bad)
    with open(os.path.join(bad, "bad-utf8.txt"), "wb") as f:
        f.write(b"The harbour wall \xff\xfe gave way.\n")
    open(os.path.join(bad, "empty.txt"), "wb").close()
    with open(os.path.join(bad, "records.jsonl"), "w") as f:
        f.write('{"id": "r1", "text": "The ferry resumed on Wednesday after the storm, '
                'the port authority said, and 1,200 people went home."}\n')
        f.write('{"id": "r2", "text": "cut short\n')
        f.write('not json at all\n')
        f.write('{"id": "r4"}\n')
    import gzip
    with gzip.open(os.path.join(bad, "zipped.txt.gz"), "wt") as f:
        f.write("The port authority said the ferry would run again on Thursday.\n")
    many = run(MPI + ["-np", "2", analyzer, "dups", "--mpi", corpus, bad])
    check("zipped.txt.gz: --mpi reads inputs again at an offset" in many.stderr,
          f"gzip under --mpi: named and skipped: {many.stderr[-500:]}")
    os.remove(os.path.join(bad, "zipped.txt.gz"))
    one = compare("bad inputs beside the demo corpus", [corpus, bad])
    compare_report("bad inputs beside the demo corpus", [corpus, bad])
    check("bad-utf8.txt" in one.stderr and "records.jsonl:2" in one.stderr,
          "bad inputs: errors named with their lines")

stdin = run(MPI + ["-np", "2", analyzer, "dups", "--mpi", "-"],
            stdin='{"id": "a", "text": "one two three four five six seven"}\n')
check(stdin.returncode == 2 and "-: --mpi needs inputs" in stdin.stderr,
      f"standard input under --mpi: exit {stdin.returncode}, {stdin.stderr[-300:]}")

print(f"mpi: {failures} failure(s)")
sys.exit(1 if failures else 0)
