#!/usr/bin/python3
"""Runs the story index over one part of the chain set and scores it.

usage: run_chains.py STORY_CHAINS PART [--min-precision P --min-recall R]
                     [-- THRESHOLD...]

STORY_CHAINS is the story_chains test program; PART is train, test or all.
The items go in arrival order as one stream (score_stories.py order), each
with its arrival time, source and feed guid from chain.json. Prints the
scorer's report; with --min-precision/--min-recall, exits 1 below them.
"""
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import score_stories  # noqa: E402


def main(argv):
    args = argv[1:]
    extra = []
    if "--" in args:
        extra = args[args.index("--") + 1:]
        args = args[:args.index("--")]
    exe, part = args[0], args[1]
    minp = minr = None
    if "--min-precision" in args:
        minp = float(args[args.index("--min-precision") + 1])
    if "--min-recall" in args:
        minr = float(args[args.index("--min-recall") + 1])
    items = [x for x in score_stories.load(HERE) if part == "all" or x["part"] == part]
    guid = {}
    for cid in os.listdir(os.path.join(HERE, "chains")):
        p = os.path.join(HERE, "chains", cid, "chain.json")
        if os.path.exists(p):
            for it in json.load(open(p, encoding="utf-8"))["items"]:
                guid["%s/%s" % (cid, it["file"])] = it.get("feed_guid") or "-"
    lines = "".join("%s\t%s\t%d\t%s\t%s\n" % (
        x["item"], x["path"], int(x["time"].timestamp() * 1000), x["source"], guid[x["item"]])
        for x in items)
    out = subprocess.run([exe] + extra, input=lines.encode(), capture_output=True, timeout=120)
    sys.stderr.write(out.stderr.decode())
    if out.returncode != 0:
        print("story_chains failed: exit %d" % out.returncode)
        return 1
    pred = {}
    for ln in out.stdout.decode().splitlines():
        o = json.loads(ln)
        pred[o["item"]] = o
    r = score_stories.score(items, pred)
    score_stories.report(part, r)
    bad = []
    if minp is not None and r["precision"] < minp:
        bad.append("precision %.4f < %.4f" % (r["precision"], minp))
    if minr is not None and r["recall"] < minr:
        bad.append("recall %.4f < %.4f" % (r["recall"], minr))
    if r["missing"]:
        bad.append("%d items without a prediction" % len(r["missing"]))
    for b in bad:
        print("FAIL " + b)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
