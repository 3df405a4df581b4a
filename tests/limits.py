"""Run the analyzer inside a 2 GiB address space: the memory bound the
hostile and pathological corpus tests hold it to. Not under a wrapper
(valgrind) or a sanitizer build, which reserve far more address space;
`note` says so in the test's last line."""
import os, resource, subprocess

LIMIT = 2 << 30


def _limit():
    resource.setrlimit(resource.RLIMIT_AS, (LIMIT, LIMIT))


class Runner:
    def __init__(self, analyzer):
        self.cmd = os.environ.get("ANALYZER_WRAPPER", "").split() + [analyzer]
        probe = subprocess.run(self.cmd + ["--help"], capture_output=True, preexec_fn=_limit)
        self.limited = len(self.cmd) == 1 and probe.returncode == 0
        self.note = "" if self.limited else " (no address-space limit: wrapper or sanitizer)"

    def run(self, args):
        return subprocess.run(self.cmd + args, capture_output=True, text=True,
                              preexec_fn=_limit if self.limited else None)


class Checks:
    """check(cond, what) prints a failure and counts it; `failures` at the end."""

    def __init__(self):
        self.failures = 0

    def __call__(self, cond, what):
        if not cond:
            self.failures += 1
            print(f"FAIL: {what}")
