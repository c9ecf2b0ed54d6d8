#!/usr/bin/python3
"""Validates events against docs/event.schema.json, and checks that the
schema rejects malformed events.

usage: schema_check.py NEWSWIRED SCHEMA FIXTURES_DIR

1. The schema is a valid JSON Schema, and every object in it lists all of
   its properties as required and forbids others.
2. The event of every fixture (tests/parser/fixtures/*.txt) validates.
3. Events broken on purpose (a field missing, an extra field, a wrong type,
   a bad id, a malformed dateline, caption or quote) are rejected.
"""
import copy
import json
import os
import subprocess
import sys

import jsonschema


def objects(node, path="$"):
    """Every object schema in the schema, with where it is."""
    if isinstance(node, dict):
        if node.get("type") == "object" or "properties" in node:
            yield path, node
        for k, v in node.items():
            yield from objects(v, path + "/" + k)
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from objects(v, "%s[%d]" % (path, i))


def main():
    exe, schema_path, fixtures = sys.argv[1:4]
    schema = json.load(open(schema_path, encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    v = cls(schema)
    failures = []

    for where, obj in objects(schema):
        if where.endswith("/properties") or "properties" not in obj:
            continue
        props = set(obj["properties"])
        if set(obj.get("required", [])) != props:
            failures.append("%s: not every property is required" % where)
        if obj.get("additionalProperties") is not False:
            failures.append("%s: unknown fields not forbidden" % where)

    events = []
    for name in sorted(f for f in os.listdir(fixtures) if f.endswith(".txt")):
        out = subprocess.run([exe, "parse", "--received-at", "2025-06-10T12:00:00Z",
                              os.path.join(fixtures, name)], capture_output=True, timeout=30)
        if out.returncode != 0:
            failures.append("%s: parse failed: %s" % (name, out.stderr.decode()))
            continue
        ev = json.loads(out.stdout)
        events.append(ev)
        errs = sorted(v.iter_errors(ev), key=str)
        for e in errs:
            failures.append("%s: %s at %s" % (name, e.message, list(e.absolute_path)))
    if len(events) < 12:
        failures.append("only %d events to validate" % len(events))

    # An event with a dateline, captions and a quote to break in many ways.
    base = next((e for e in events if e["dateline"] and e["captions"]), events[0])
    base = copy.deepcopy(base)
    base["quotes"] = [{"text": "We will open the bridge before winter", "kind": "direct",
                       "speaker": {"name": "Alexander Drozdenko", "type": "person",
                                   "title": "Governor", "organisation": None},
                       "cue": "said", "paragraph": 1, "offset": [3, 40]}]
    base["speakers"] = [{"name": "Alexander Drozdenko", "type": "person", "title": "Governor",
                         "organisation": None, "quotes": 1}]
    base["published_at"] = "2025-06-10T11:00:00.000Z"
    if list(v.iter_errors(base)):
        failures.append("the hand-made valid event is rejected: %s" % next(v.iter_errors(base)).message)

    def broken(desc, change):
        ev = copy.deepcopy(base)
        change(ev)
        if v.is_valid(ev):
            failures.append("malformed event accepted: " + desc)

    broken("headline missing", lambda e: e.pop("headline"))
    broken("warnings missing", lambda e: e.pop("warnings"))
    broken("extra top-level field", lambda e: e.update(extra=1))
    broken("body is a string", lambda e: e.update(body="text"))
    broken("body holds a number", lambda e: e["body"].append(3))
    broken("language not en/ru", lambda e: e.update(language="de"))
    broken("id not hex SHA-256", lambda e: e.update(id="abc"))
    broken("schema name of contract v1", lambda e: e.update(schema="newswired.event/1"))
    broken("received_at not RFC 3339", lambda e: e.update(received_at="yesterday"))
    broken("dateline without city", lambda e: e["dateline"].pop("city"))
    broken("dateline with extra field", lambda e: e["dateline"].update(country="RU"))
    broken("dateline month 13", lambda e: e["dateline"].update(month=13))
    broken("dateline day is a string", lambda e: e["dateline"].update(day="6"))
    broken("caption without credit", lambda e: e["captions"][0].pop("credit"))
    broken("caption with extra field", lambda e: e["captions"][0].update(url="x"))
    broken("quote kind unknown", lambda e: e["quotes"][0].update(kind="scare"))
    broken("quote offset of one number", lambda e: e["quotes"][0].update(offset=[3]))
    broken("quote speaker type unknown", lambda e: e["quotes"][0]["speaker"].update(type="robot"))
    broken("speaker without quote count", lambda e: e["speakers"][0].pop("quotes"))
    broken("source without uri", lambda e: e["source"].pop("uri"))
    broken("parser with extra field", lambda e: e["parser"].update(build="x"))
    broken("agency is a number", lambda e: e.update(agency=1))
    broken("story missing", lambda e: e.pop("story"))
    broken("story without markers", lambda e: e["story"].pop("markers"))
    broken("story with extra field", lambda e: e["story"].update(channel="rss"))
    broken("story kind unknown", lambda e: e["story"].update(kind="rewrite"))
    broken("story version 0", lambda e: e["story"].update(version=0))
    broken("story key not hex", lambda e: e["story"].update(key="story-1"))
    broken("story supersedes not an id", lambda e: e["story"].update(supersedes="v1"))
    broken("story repeat not boolean", lambda e: e["story"].update(repeat=0))
    broken("story marker empty", lambda e: e["story"]["markers"].append(""))

    for f in failures:
        print("FAIL " + f)
    print("%d events validated, %s" % (len(events), "ok" if not failures else "%d failures" % len(failures)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
