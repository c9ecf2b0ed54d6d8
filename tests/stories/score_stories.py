#!/usr/bin/env python3
# Scores a story grouping against the chain set: pair-wise precision and
# recall over all items of one part (train or test), plus kind, repeat and
# version-order checks. See README.md in this directory.
#
#   score_stories.py order PART          item paths of PART in arrival order
#   score_stories.py score PART PRED     score predictions (JSON lines, below)
#   score_stories.py baseline PART       scores of trivial groupings
#
# PRED holds one JSON object per line: {"item": "<dir>/<file>", "story":
# "<key>"} and optionally "version" (number), "kind" and "repeat" (bool).
import datetime
import json
import os
import sys
from itertools import combinations

HERE = os.path.dirname(os.path.abspath(__file__))


def load(root=HERE):
    parts = {}
    with open(os.path.join(root, "split.txt"), encoding="utf-8") as fh:
        for ln in fh:
            f = ln.split()
            if len(f) == 2 and not ln.startswith("#"):
                parts[f[1]] = f[0]
    items = []
    cdir = os.path.join(root, "chains")
    for cid in sorted(os.listdir(cdir)):
        p = os.path.join(cdir, cid, "chain.json")
        if not os.path.exists(p):
            continue
        with open(p, encoding="utf-8") as fh:
            doc = json.load(fh)
        for n, it in enumerate(doc["items"]):
            t = datetime.datetime.fromisoformat(it["arrival"].replace("Z", "+00:00"))
            items.append({
                "item": "%s/%s" % (cid, it["file"]),
                "path": os.path.join(cdir, cid, it["file"]),
                "part": parts.get(cid),
                "time": t,
                "order": (t, cid, n),
                "gold": (cid, it["expect"]["story"]),
                "kind": it["expect"]["kind"],
                "repeat": it["expect"]["repeat"],
                "agency": doc["agency"],
                "source": it["source"],
            })
    items.sort(key=lambda x: x["order"])
    return items


def score(items, pred):
    """items: gold items of one part; pred: item name -> dict with "story"."""
    tp = fp = fn = tn = 0
    missing = [x["item"] for x in items if x["item"] not in pred]
    # an item without a prediction is its own story
    key = lambda x: pred[x["item"]]["story"] if x["item"] in pred else ("missing", x["item"])
    for a, b in combinations(items, 2):
        same_gold = a["gold"] == b["gold"]
        same_pred = key(a) == key(b)
        if same_gold and same_pred:
            tp += 1
        elif same_pred:
            fp += 1
        elif same_gold:
            fn += 1
        else:
            tn += 1
    r = {
        "items": len(items),
        "pairs_together": tp + fn,
        "pairs_apart": tn + fp,
        "precision": tp / (tp + fp) if tp + fp else 1.0,
        "recall": tp / (tp + fn) if tp + fn else 1.0,
        "kept_apart": tn / (tn + fp) if tn + fp else 1.0,
        "false_merges": fp,
        "missed_merges": fn,
        "missing": missing,
    }
    with_kind = [x for x in items if "kind" in pred.get(x["item"], {})]
    if with_kind:
        r["kind_accuracy"] = sum(pred[x["item"]]["kind"] == x["kind"] for x in with_kind) / len(with_kind)
    with_rep = [x for x in items if "repeat" in pred.get(x["item"], {})]
    if with_rep:
        r["repeat_accuracy"] = sum(pred[x["item"]]["repeat"] == x["repeat"] for x in with_rep) / len(with_rep)
    # versions of one predicted story must grow with arrival, except repeats
    bad = 0
    last = {}
    for x in items:
        p = pred.get(x["item"], {})
        if "version" not in p or p.get("repeat"):
            continue
        k = p["story"]
        if k in last and not p["version"] > last[k]:
            bad += 1
        last[k] = p["version"]
    if any("version" in pred.get(x["item"], {}) for x in items):
        r["version_order_violations"] = bad
    return r


def report(name, r):
    print("%s: items %d, pairs together %d, apart %d" % (
        name, r["items"], r["pairs_together"], r["pairs_apart"]))
    print("  precision %.4f  recall %.4f  kept apart %.4f  (false merges %d, missed merges %d)" % (
        r["precision"], r["recall"], r["kept_apart"], r["false_merges"], r["missed_merges"]))
    for k in ("kind_accuracy", "repeat_accuracy"):
        if k in r:
            print("  %s %.4f" % (k.replace("_", " "), r[k]))
    if "version_order_violations" in r:
        print("  version order violations %d" % r["version_order_violations"])
    if r["missing"]:
        print("  %d items have no prediction (scored as stories of their own)" % len(r["missing"]))


def baselines(items):
    gold = {x["item"]: {"story": "%s/%s" % x["gold"], "kind": x["kind"], "repeat": x["repeat"]}
            for x in items}
    single = {x["item"]: {"story": x["item"]} for x in items}
    day = {x["item"]: {"story": "%s/%s" % (x["agency"], x["time"].date())} for x in items}
    return [("gold", gold), ("every item alone", single), ("one story per agency and day", day)]


def main(argv):
    if len(argv) < 3 or argv[1] not in ("order", "score", "baseline") or argv[2] not in ("train", "test", "all"):
        sys.stderr.write("usage: score_stories.py order|score|baseline train|test|all [PRED]\n")
        return 2
    items = [x for x in load() if argv[2] == "all" or x["part"] == argv[2]]
    if argv[1] == "order":
        for x in items:
            print(x["path"])
        return 0
    if argv[1] == "baseline":
        for name, pred in baselines(items):
            report("%s, %s" % (argv[2], name), score(items, pred))
        return 0
    if len(argv) != 4:
        sys.stderr.write("score needs a predictions file\n")
        return 2
    pred = {}
    with open(argv[3], encoding="utf-8") as fh:
        for n, ln in enumerate(fh, 1):
            if not ln.strip():
                continue
            o = json.loads(ln)
            if "item" not in o or "story" not in o:
                sys.stderr.write("%s:%d: needs item and story\n" % (argv[3], n))
                return 2
            pred[o["item"]] = o
    report(argv[2], score(items, pred))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
