#!/usr/bin/env python3
"""Scores `newswired parse` on dispatches written as a held-out set.

usage: heldout.py NEWSWIRED DIR MIN_ATTRIBUTION MIN_DATELINE

DIR holds NAME.txt and NAME.gold.json in the corpus format (the shared
corpus README: language, headline, dateline, quotes with text and speaker).
The dispatches were written to estimate how attribution holds on copy the
rules were not written from, so the test asserts a floor, not exact output:
exit status 1 when the share of right speakers among the quotations found,
or of right datelines, falls under the floor, or when a quotation is missed.
Each miss is printed, so a drop names the dispatch and the quotation.
"""
import json
import os
import re
import subprocess
import sys
import unicodedata


def words(s):
    return re.findall(r"\w+", unicodedata.normalize("NFKC", s or "").casefold())


def name_of(sp):
    if isinstance(sp, dict):
        sp = sp.get("name")
    return sp if isinstance(sp, str) and sp.strip() else None


def speaker_fits(want, got):
    """Equal names, or each holds the other's last word ("Lavrov" and
    "Sergey Lavrov"); no speaker fits only no speaker."""
    if want is None or got is None:
        return want is None and got is None
    a, b = words(want), words(got)
    return bool(a and b) and (a == b or (a[-1] in b and b[-1] in a))


def dateline_fits(want, got):
    if want is None:
        return not (isinstance(got, dict) and got.get("city"))
    if not isinstance(got, dict):
        return False
    return (words(str(got.get("city", ""))) == words(want["city"])
            and got.get("month") == want["month"] and got.get("day") == want["day"]
            and words(str(got.get("agency", ""))) == words(want["agency"]))


def main():
    exe, top = sys.argv[1], sys.argv[2]
    min_attr, min_dl = float(sys.argv[3]), float(sys.argv[4])
    stems = sorted(f[:-10] for f in os.listdir(top) if f.endswith(".gold.json"))
    if not stems:
        print("no dispatches in", top)
        return 1
    n_dl = ok_dl = n_q = found = ok_sp = 0
    for stem in stems:
        gold = json.load(open(os.path.join(top, stem + ".gold.json"), encoding="utf-8"))
        out = subprocess.run([exe, "parse", os.path.join(top, stem + ".txt")],
                             capture_output=True, timeout=30)
        if out.returncode != 0:
            print("%s: parse failed: %s" % (stem, out.stderr.decode()[-300:]))
            return 1
        ev = json.loads(out.stdout.decode().splitlines()[0])
        n_dl += 1
        if dateline_fits(gold.get("dateline"), ev.get("dateline")):
            ok_dl += 1
        else:
            print("%s: dateline %s" % (stem, json.dumps(ev.get("dateline"), ensure_ascii=False)))
        got = [q for q in ev.get("quotes") or [] if q.get("kind") != "indirect"]
        used = set()
        for g in gold["quotes"]:
            n_q += 1
            gw = words(g["text"])
            hit = next((i for i, q in enumerate(got)
                        if i not in used and words(q.get("text")) == gw), None)
            if hit is None:
                print("%s: missed %r" % (stem, g["text"][:50]))
                continue
            used.add(hit)
            found += 1
            sp = name_of(got[hit].get("speaker"))
            alts = [g.get("speaker")] + list(g.get("speaker_alternatives") or [])
            if any(speaker_fits(a, sp) for a in alts):
                ok_sp += 1
            else:
                print("%s: speaker %r, want %r for %r" % (stem, sp, g.get("speaker"),
                                                        g["text"][:50]))
    attr = 100.0 * ok_sp / found if found else 0.0
    dl = 100.0 * ok_dl / n_dl
    print("dispatches %d quotes %d found %d attribution %.1f%% dateline %.1f%% "
          "(floors %.1f%% and %.1f%%)" % (n_dl, n_q, found, attr, dl, min_attr, min_dl))
    return 0 if found == n_q and attr >= min_attr and dl >= min_dl else 1


if __name__ == "__main__":
    sys.exit(main())
