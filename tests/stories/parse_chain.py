#!/usr/bin/python3
"""`newswired parse` runs the story stage over its files in order.

usage: parse_chain.py NEWSWIRED CHAINS_DIR

Over a chain (flash, first, two updates of c13; a correction and its
REPEAT- of c15) the events carry one story key per chain, versions 1, 2, 3,
..., the kinds of chain.json, each version superseding the previous event
and a repeat its version again; one file alone is version 1 of a new story.
"""
import json
import os
import subprocess
import sys


def run(exe, files):
    out = subprocess.run([exe, "parse", "--received-at", "2026-06-01T10:00:00Z"] + files,
                         capture_output=True, timeout=60)
    if out.returncode != 0:
        sys.exit("parse failed: %s" % out.stderr.decode())
    return [json.loads(ln) for ln in out.stdout.decode().splitlines()]


def main():
    exe, chains = sys.argv[1], sys.argv[2]
    errors = []
    files, want = [], []
    for cid in ("c13-en-reuters-opec-cut", "c15-en-reuters-refile-repeat"):
        doc = json.load(open(os.path.join(chains, cid, "chain.json"), encoding="utf-8"))
        for it in doc["items"]:
            files.append(os.path.join(chains, cid, it["file"]))
            want.append((cid, it["expect"]))
    evs = run(exe, files)
    if len(evs) != len(files):
        sys.exit("%d events for %d files" % (len(evs), len(files)))
    last = {}
    for f, (cid, exp), ev in zip(files, want, evs):
        st = ev["story"]
        name = os.path.relpath(f, chains)
        prev = last.get(cid)
        if prev is None:
            if st["version"] != 1 or st["supersedes"] is not None or st["key"] != ev["id"][:32]:
                errors.append("%s: not version 1 of a new story: %s" % (name, st))
        else:
            if st["key"] != prev[0]["story"]["key"]:
                errors.append("%s: key %s, the chain has %s" % (name, st["key"], prev[0]["story"]["key"]))
            if exp["repeat"]:
                if not st["repeat"] or st["version"] != prev[-1]["story"]["version"]:
                    errors.append("%s: not a repeat of the version before: %s" % (name, st))
            elif st["version"] != prev[-1]["story"]["version"] + 1 or st["supersedes"] != prev[-1]["id"]:
                errors.append("%s: not the next version of %s: %s" % (name, prev[-1]["id"], st))
            if st["first_created"] != prev[0]["story"]["first_created"]:
                errors.append("%s: first_created changed" % name)
        if st["kind"] != exp["kind"]:
            errors.append("%s: kind %s, want %s" % (name, st["kind"], exp["kind"]))
        last.setdefault(cid, []).append(ev)
    # one file alone: a new story, version 1
    ev = run(exe, [files[2]])[0]
    if ev["story"]["version"] != 1 or ev["story"]["key"] != ev["id"][:32] or ev["story"]["repeat"]:
        errors.append("one file: not version 1 of a new story: %s" % ev["story"])
    for e in errors:
        print("FAIL " + e)
    print("%d events checked, %s" % (len(evs) + 1, "ok" if not errors else "%d errors" % len(errors)))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
