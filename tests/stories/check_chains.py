#!/usr/bin/env python3
# Validates the story chain set (tests/stories/chains/*/chain.json and
# split.txt) so that the grouping stage is tuned and scored on sound data,
# and prints its counts. Usage: check_chains.py [STORIES_DIR]
import datetime
import json
import os
import re
import sys
from itertools import combinations

KINDS = ("flash", "first", "update", "correction", "kill")
SOURCES = ("spool", "feed")
MARKER_KINDS = KINDS[:1] + KINDS[2:] + ("repeat", "none")
MARKER_POSITIONS = ("line-before-headline", "headline-prefix", "headline-suffix", "headline",
                    "whole-headline-caps", "whole-item", "slug-prefix", "slug-suffix", "slug-line",
                    "advisory-line", "timestamp-line", "closing-line", "closing-note", "body-line",
                    "metadata")
FILE_RE = re.compile(r"^(\d\d)-(flash|first|update|correction|kill)(-repeat)?\.txt$")


def parse_time(s):
    # RFC 3339 with an explicit offset; fromisoformat before 3.11 lacks "Z"
    if not re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$", s):
        raise ValueError("not RFC 3339 with an offset: %r" % s)
    return datetime.datetime.fromisoformat(s.replace("Z", "+00:00"))


def squash(text):
    return " ".join(text.split())


def check_chain(d, cid, errors):
    def err(msg):
        errors.append("%s: %s" % (cid, msg))

    try:
        with open(os.path.join(d, "chain.json"), encoding="utf-8") as fh:
            doc = json.load(fh)
    except (OSError, ValueError) as e:
        err("chain.json unreadable: %s" % e)
        return None
    if doc.get("id") != cid:
        err("id %r differs from the directory name" % doc.get("id"))
    if doc.get("language") not in ("en", "ru"):
        err("language must be en or ru")
    if not isinstance(doc.get("agency"), str) or not doc.get("agency"):
        err("agency missing")
    if doc.get("kind") not in ("chain", "negative"):
        err("kind must be chain or negative")
    items = doc.get("items")
    if not isinstance(items, list) or len(items) < 2:
        err("needs at least two items")
        return None

    prev_time = None
    seen_texts = []  # (story, kind, squashed text)
    stories = {}
    listed = set()
    for n, it in enumerate(items, 1):
        name = it.get("file", "")
        m = FILE_RE.match(name)
        exp = it.get("expect") or {}
        if not m:
            err("file name %r is not NN-<kind>[-repeat].txt" % name)
            continue
        listed.add(name)
        if int(m.group(1)) != n:
            err("%s: NN %s is not its position %d" % (name, m.group(1), n))
        if exp.get("kind") not in KINDS:
            err("%s: expect.kind %r not one of %s" % (name, exp.get("kind"), KINDS))
        elif m.group(2) != exp["kind"]:
            err("%s: file name says %s, expect.kind says %s" % (name, m.group(2), exp["kind"]))
        if not isinstance(exp.get("repeat"), bool):
            err("%s: expect.repeat must be true or false" % name)
        elif bool(m.group(3)) != exp["repeat"]:
            err("%s: -repeat in the name and expect.repeat disagree" % name)
        story = exp.get("story")
        if not isinstance(story, str) or not re.match(r"^[A-Z]$", story):
            err("%s: expect.story must be one capital letter" % name)
            story = "?"
        if it.get("source") not in SOURCES:
            err("%s: source must be spool or feed" % name)
        if "feed_guid" in it and not (isinstance(it["feed_guid"], str) and it["feed_guid"]):
            err("%s: feed_guid, when present, is a non-empty string" % name)
        try:
            t = parse_time(it.get("arrival", ""))
            if prev_time is not None and t < prev_time:
                err("%s: arrives before the item listed above it" % name)
            prev_time = t
        except ValueError as e:
            err("%s: %s" % (name, e))
        path = os.path.join(d, name)
        try:
            with open(path, encoding="utf-8") as fh:
                text = fh.read()
        except (OSError, UnicodeDecodeError) as e:
            err("%s: unreadable as UTF-8 text: %s" % (name, e))
            continue
        if not text.strip():
            err("%s: empty" % name)
            continue
        sq = squash(text)
        if story not in stories:
            if exp.get("kind") not in ("flash", "first") or exp.get("repeat"):
                err("%s: a story must open with a flash or a first version" % name)
            stories[story] = []
        if exp.get("repeat"):
            if not any(s == story and k == exp.get("kind") for s, k, _ in seen_texts):
                err("%s: a repeat needs an earlier %s of story %s" % (name, exp.get("kind"), story))
        else:
            if any(x == sq for _, _, x in seen_texts):
                err("%s: same text as an earlier item but not marked as a repeat" % name)
        seen_texts.append((story, exp.get("kind"), sq))
        stories[story].append(n)

    extra = set(f for f in os.listdir(d) if f.endswith(".txt")) - listed
    for f in sorted(extra):
        err("%s is not listed in chain.json" % f)
    if doc.get("kind") == "chain" and set(stories) != {"A"}:
        err("a chain holds one story, A")
    if doc.get("kind") == "negative" and len(stories) < 2:
        err("a negative holds at least two stories")
    return doc


def pairs(docs):
    # Every item of a part against every other: same story only within one
    # directory and letter, so stories of different directories are apart.
    labels = []
    for doc in docs:
        for it in doc["items"]:
            labels.append((doc["id"], it["expect"]["story"]))
    together = apart = 0
    for a, b in combinations(labels, 2):
        if a == b:
            together += 1
        else:
            apart += 1
    return together, apart


def read_split(path, ids, errors):
    parts = {}
    try:
        with open(path, encoding="utf-8") as fh:
            lines = fh.read().splitlines()
    except OSError as e:
        errors.append("split.txt unreadable: %s" % e)
        return parts
    for ln in lines:
        ln = ln.strip()
        if not ln or ln.startswith("#"):
            continue
        f = ln.split()
        if len(f) != 2 or f[0] not in ("train", "test"):
            errors.append("split.txt: bad line %r" % ln)
            continue
        if f[1] in parts:
            errors.append("split.txt: %s listed twice" % f[1])
        parts[f[1]] = f[0]
    for cid in sorted(set(ids) - set(parts)):
        errors.append("split.txt: %s is in no part" % cid)
    for cid in sorted(set(parts) - set(ids)):
        errors.append("split.txt: %s has no chain directory" % cid)
    return parts


def check_markers(path, errors):
    # The parser's marker table is built from this file: keep it loadable.
    try:
        with open(path, encoding="utf-8") as fh:
            lines = fh.read().splitlines()
    except OSError as e:
        errors.append("markers.tsv unreadable: %s" % e)
        return 0
    if not lines or lines[0] != "marker\tlanguage\tposition\tkind\texample-shape":
        errors.append("markers.tsv: header must be marker, language, position, kind, example-shape")
        return 0
    for n, ln in enumerate(lines[1:], 2):
        f = ln.split("\t")
        if len(f) != 5 or not all(f):
            errors.append("markers.tsv:%d: five non-empty tab-separated fields expected" % n)
            continue
        if f[1] not in ("en", "ru", "fr", "any"):
            errors.append("markers.tsv:%d: language %r" % (n, f[1]))
        if f[2] not in MARKER_POSITIONS:
            errors.append("markers.tsv:%d: position %r not one of %s" % (n, f[2], MARKER_POSITIONS))
        if f[3] not in MARKER_KINDS:
            errors.append("markers.tsv:%d: kind %r not one of %s" % (n, f[3], MARKER_KINDS))
    return len(lines) - 1


def scorer_self_check(root, errors):
    # score_stories.py must give the gold grouping full marks and find that
    # putting every item alone misses every pair that belongs together.
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import score_stories

    items = score_stories.load(root)
    for part in ("train", "test"):
        pi = [x for x in items if x["part"] == part]
        b = dict(score_stories.baselines(pi))
        g = score_stories.score(pi, b["gold"])
        s = score_stories.score(pi, b["every item alone"])
        if (g["precision"], g["recall"], g.get("kind_accuracy")) != (1.0, 1.0, 1.0):
            errors.append("score_stories.py: gold grouping of %s does not score 1.0" % part)
        if s["pairs_together"] and s["recall"] != 0.0:
            errors.append("score_stories.py: singletons of %s have recall above 0" % part)


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
    cdir = os.path.join(root, "chains")
    errors = []
    docs = []
    for cid in sorted(os.listdir(cdir)):
        d = os.path.join(cdir, cid)
        if os.path.isdir(d):
            doc = check_chain(d, cid, errors)
            if doc:
                docs.append(doc)
    parts = read_split(os.path.join(root, "split.txt"), [x["id"] for x in docs], errors)

    # the parser builds its marker table from this file (parsers/CMakeLists.txt)
    markers = check_markers(os.path.join(root, "..", "..", "parsers", "markers.tsv"), errors)

    count = lambda f: sum(1 for x in docs if f(x))
    items = [it for x in docs for it in x["items"]]
    print("directories: %d (chains %d, negatives %d)" % (
        len(docs), count(lambda x: x["kind"] == "chain"), count(lambda x: x["kind"] == "negative")))
    print("language: en %d, ru %d" % (count(lambda x: x["language"] == "en"),
                                      count(lambda x: x["language"] == "ru")))
    print("items: %d (%s; repeats %d; from feed %d)" % (
        len(items),
        ", ".join("%s %d" % (k, sum(1 for it in items if it["expect"]["kind"] == k)) for k in KINDS),
        sum(1 for it in items if it["expect"]["repeat"]),
        sum(1 for it in items if it["source"] == "feed")))
    agencies = sorted(set(x["agency"] for x in docs))
    print("agencies: " + ", ".join("%s %d" % (a, count(lambda x: x["agency"] == a)) for a in agencies))
    print("markers: %d rows in markers.tsv" % markers)
    for part in ("train", "test"):
        pd = [x for x in docs if parts.get(x["id"]) == part]
        tog, apart = pairs(pd)
        print("%s: %d directories (chains %d, negatives %d), %d items, pairs together %d, apart %d" % (
            part, len(pd), sum(1 for x in pd if x["kind"] == "chain"),
            sum(1 for x in pd if x["kind"] == "negative"),
            sum(len(x["items"]) for x in pd), tog, apart))
    if not errors:
        scorer_self_check(root, errors)
    for e in errors:
        print("ERROR " + e)
    if errors:
        print("%d errors" % len(errors))
        return 1
    print("chain set is valid")
    return 0


if __name__ == "__main__":
    sys.exit(main())
