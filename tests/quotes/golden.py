#!/usr/bin/env python3
"""Golden-file test of the quotation stage over whole dispatches.

usage: golden.py NEWSWIRED GOLDEN_DIR

For each NAME.txt in GOLDEN_DIR, runs `NEWSWIRED parse --received-at ... NAME.txt`
and compares the quotations that are not indirect with NAME.expected.json
(written and checked by hand): text, kind, speaker name and cue of each, in
order, and the speakers' names, types and titles. It also checks for every
quotation, indirect ones included, that its offset [start, end) cuts exactly
its text out of its paragraph (or of the lede when paragraph is null), in
code points, and that each speaker's count is the number of quotations that
name it. Exit status 1 on any difference.
"""
import json
import os
import subprocess
import sys


def main():
    exe, top = sys.argv[1], sys.argv[2]
    bad = 0
    names = sorted(f[:-4] for f in os.listdir(top) if f.endswith(".txt"))
    if not names:
        print("no golden dispatches in", top)
        return 1
    for name in names:
        out = subprocess.run([exe, "parse", "--received-at", "2025-06-01T00:00:00Z",
                              os.path.join(top, name + ".txt")],
                             capture_output=True, timeout=30)
        if out.returncode != 0:
            print("%s: parse failed: %s" % (name, out.stderr.decode()))
            bad += 1
            continue
        ev = json.loads(out.stdout.decode().splitlines()[0])
        want = json.load(open(os.path.join(top, name + ".expected.json"), encoding="utf-8"))
        notes = []
        got = [q for q in ev["quotes"] if q["kind"] != "indirect"]
        for i in range(max(len(got), len(want["quotes"]))):
            g = got[i] if i < len(got) else None
            w = want["quotes"][i] if i < len(want["quotes"]) else None
            if g is None or w is None:
                notes.append("quote %d: got %s, want %s" % (i, g and g["text"], w and w["text"]))
                continue
            gs = g["speaker"]["name"] if g["speaker"] else None
            for key, gv in (("text", g["text"]), ("kind", g["kind"]), ("speaker", gs), ("cue", g["cue"])):
                if gv != w[key]:
                    notes.append("quote %d %s: got %r, want %r" % (i, key, gv, w[key]))
        for q in ev["quotes"]:
            src = ev["lede"] if q["paragraph"] is None else ev["body"][q["paragraph"]]
            a, b = q["offset"]
            if src[a:b] != q["text"]:
                notes.append("offset %r cuts %r, not %r" % (q["offset"], src[a:b], q["text"]))
        gsp = [{"name": s["name"], "type": s["type"], "title": s["title"]} for s in ev["speakers"]]
        if gsp != want["speakers"]:
            notes.append("speakers: got %s, want %s" % (json.dumps(gsp, ensure_ascii=False),
                                                        json.dumps(want["speakers"], ensure_ascii=False)))
        for i, s in enumerate(ev["speakers"]):
            n = sum(1 for q in ev["quotes"] if q["speaker"] and q["speaker"]["name"] == s["name"])
            if n != s["quotes"]:
                notes.append("speaker %s counts %d quotes, %d name them" % (s["name"], s["quotes"], n))
        if notes:
            bad += 1
            print("%s:\n  %s" % (name, "\n  ".join(notes)))
    print("%d of %d golden dispatches match" % (len(names) - bad, len(names)))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
