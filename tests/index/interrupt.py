#!/usr/bin/env python3
"""An interrupted `analyzer index add` must leave the index as it was, or,
when the kill comes after the commit, as a complete add leaves it.

Builds an index from corpus/, then starts `index add` with a few thousand
generated articles and kills it (SIGKILL, so nothing gets to clean up) at
several moments. After each kill the index must pass SQLite's integrity
check and hold exactly the rows it held before or exactly those of an
uninterrupted add: all of the batch or none of it.

usage: interrupt.py ANALYZER SOURCE_ROOT"""
import hashlib, json, os, random, shutil, signal, sqlite3, subprocess, sys, tempfile, time

analyzer, root = sys.argv[1], sys.argv[2]


def article(i):
    r = random.Random(i)
    words = ("river dam valley crews rescue water homes families officials said "
             "police bridge night morning engineers council mayor flood").split()
    return "\n".join(
        f"Town{i} " + " ".join(r.choice(words) for _ in range(20)) + f" said Person{i}."
        for _ in range(12))


def snapshot(db):
    """A digest of every row of every table, so any change shows."""
    con = sqlite3.connect(db)
    try:
        ok = con.execute("PRAGMA integrity_check").fetchone()[0]
        h = hashlib.sha256()
        tables = [r[0] for r in con.execute(
            "SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")]
        for t in tables:
            for row in con.execute(f'SELECT * FROM "{t}" ORDER BY 1, 2'):
                h.update(repr(row).encode())
        return ok, h.hexdigest(), tables
    finally:
        con.close()


def info(db):
    return subprocess.run([analyzer, "index", "info", db], capture_output=True,
                          text=True, check=True).stdout.split("\n", 1)[1]


with tempfile.TemporaryDirectory() as tmp:
    db = os.path.join(tmp, "i.db")
    subprocess.run([analyzer, "index", "build", "-q", db, os.path.join(root, "corpus")],
                   check=True)
    before = snapshot(db)
    before_info = info(db)
    assert before[0] == "ok", before[0]
    assert "documents" in before_info

    src = os.path.join(tmp, "new.jsonl")
    with open(src, "w") as f:
        for i in range(4000):
            f.write(json.dumps({"id": f"n{i:05d}", "text": article(i)}) + "\n")

    # The state a complete add reaches, from a copy of the index.
    pristine = os.path.join(tmp, "pristine.db")
    shutil.copy(db, pristine)
    subprocess.run([analyzer, "index", "add", "-q", db, src], check=True)
    full = snapshot(db)
    assert full[1:] != before[1:], "a complete add changed nothing"
    shutil.copy(pristine, db)

    killed_running = 0
    for delay in (0.05, 0.1, 0.2, 0.3, 0.5, 1.0, 2.0):
        p = subprocess.Popen([analyzer, "index", "add", "-q", db, src],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        in_txn = False
        if p.poll() is None:
            # A journal beside the database means the kill lands mid-write.
            in_txn = os.path.exists(db + "-journal")
            p.send_signal(signal.SIGKILL)
            killed_running += 1
        p.wait()
        after = snapshot(db)
        assert after[0] == "ok", f"integrity after kill at {delay}s: {after[0]}"
        if p.returncode == -signal.SIGKILL and after[1:] == before[1:]:
            assert info(db) == before_info
            where = "inside the write transaction" if in_txn else "before writing"
            print(f"killed at {delay:.2f}s ({where}): index unchanged")
        else:
            # Committed before the kill (or finished): then it must be whole.
            assert after[1:] == full[1:], f"an add killed at {delay}s left part of its batch"
            when = (f"killed at {delay:.2f}s after the commit" if p.returncode == -signal.SIGKILL
                    else f"finished before {delay:.2f}s")
            print(f"{when}: the whole batch is there")
            shutil.copy(pristine, db)
    if killed_running == 0:
        print("add always finished before the kill; nothing tested")
        sys.exit(77)

    print(f"{killed_running} kills: the index held all of the batch or none of it")
