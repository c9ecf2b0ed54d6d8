#!/usr/bin/python3
"""Validates newswired's ninjs output with an independent validator
(python3-jsonschema): each document against the extended schema, the same
document without the extension property against IPTC's schema unchanged,
and documents that must be refused. Also checks that the extended schema is
IPTC's plus only the extension, and that each document says what its event
says.

usage: check-schemas.py MODE SCHEMA_DIR RENDER_BIN FIXTURE...
(a FIXTURE of "--sample" is the driver's hand-built event with every field)
MODE: valid | negative | extended-copy
"""
import copy
import datetime
import html
import json
import re
import subprocess
import sys

from jsonschema import FormatChecker
from jsonschema.validators import validator_for

EXT = "newswired_quotes"
URI_PREFIX = "urn:newswired:event:"
STORY_URI_PREFIX = "urn:newswired:story:"
EXT_ID = "urn:newswired:schema:ninjs-2.1-newswired"

failures = []


def fail(msg):
    failures.append(msg)
    print("FAIL:", msg)


def load_schemas(d):
    with open(d + "/ninjs-schema_2.1.json", encoding="utf-8") as f:
        iptc = json.load(f)
    with open(d + "/ninjs-schema_2.1-newswired.json", encoding="utf-8") as f:
        ext = json.load(f)
    return iptc, ext


def validator(schema):
    # The class follows the schema's own "$schema" (draft 2020-12 for
    # ninjs 2.1); refuse to fall back to another draft silently.
    cls = validator_for(schema, default=None)
    if cls is None or cls.META_SCHEMA["$id"] != schema["$schema"].rstrip("#"):
        sys.exit("no validator for " + str(schema.get("$schema")))
    cls.check_schema(schema)
    return cls(schema, format_checker=FormatChecker())


def require_uri_format():
    # "format": "uri" is checked only when python3-rfc3987 is installed; the
    # schemas rely on it for "uri", so a missing module must not pass quietly.
    if "uri" not in FormatChecker.checkers:
        sys.exit("jsonschema cannot check format uri: install python3-rfc3987")


def errors(v, doc):
    return [e.message for e in v.iter_errors(doc)]


def render(binary, fixtures):
    p = subprocess.run([binary] + fixtures, capture_output=True, text=True,
                       timeout=60)
    if p.returncode != 0:
        sys.exit("render failed (%d): %s" % (p.returncode, p.stderr))
    lines = [json.loads(l) for l in p.stdout.splitlines()]
    if len(lines) != len(fixtures):
        sys.exit("rendered %d of %d fixtures" % (len(lines), len(fixtures)))
    return lines


def rfc3339(s):
    # jsonschema checks "date-time" only with a module Debian does not ship,
    # so check it here.
    if not re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z", s):
        return False
    datetime.datetime.fromisoformat(s.replace("Z", "+00:00"))
    return True


def title_eq(located, city):
    return located.casefold().startswith(city.casefold())


def check_matches_event(name, ev, doc):
    """The document says what the event says (for whatever the parser
    found: these hold for any correct parse)."""
    st = ev["story"]
    if st["key"] is not None:
        # a story's versions share the uri; version and the event id in
        # altids tell them apart
        if doc["uri"] != STORY_URI_PREFIX + st["key"]:
            fail("%s: uri %r is not the story key" % (name, doc["uri"]))
        if doc.get("version") != str(st["version"]):
            fail("%s: version %r is not %r" % (name, doc.get("version"), st["version"]))
        if doc.get("firstcreated") != st["first_created"]:
            fail("%s: firstcreated %r is not the story's %r" % (
                name, doc.get("firstcreated"), st["first_created"]))
    elif doc["uri"] != URI_PREFIX + ev["id"]:
        fail("%s: uri %r is not the event id" % (name, doc["uri"]))
    if {"role": "newswired", "value": ev["id"]} not in doc.get("altids", []):
        fail("%s: the event id is not in altids" % name)
    want_status = "canceled" if st["kind"] == "kill" else "usable"
    if doc.get("pubstatus") != want_status:
        fail("%s: pubstatus %r, want %r" % (name, doc.get("pubstatus"), want_status))
    if doc["standard"]["schema"] != EXT_ID:
        fail("%s: standard.schema %r" % (name, doc["standard"]))
    if doc.get("language") != ev["language"]:
        fail("%s: language %r != %r" % (name, doc.get("language"),
                                        ev["language"]))
    for k in ("versioncreated", "firstcreated"):
        if not rfc3339(doc.get(k, "")):
            fail("%s: %s %r is not RFC 3339" % (name, k, doc.get(k)))
    want = ev.get("published_at") or ev["received_at"]
    if doc.get("versioncreated") != want:
        fail("%s: versioncreated %r != %r" % (name, doc.get(
            "versioncreated"), want))
    heads = {h["role"]: h["value"] for h in doc.get("headlines", [])}
    if heads.get("main") != ev["headline"]:
        fail("%s: main headline %r != %r" % (name, heads.get("main"),
                                              ev["headline"]))
    if heads.get("subhead") != ev["lede"]:
        fail("%s: subhead %r != lede %r" % (name, heads.get("subhead"),
                                             ev["lede"]))
    dl = ev["dateline"]
    if dl and dl.get("city"):
        if not title_eq(doc.get("located", ""), dl["city"]):
            fail("%s: located %r for city %r" % (name, doc.get("located"),
                                                  dl["city"]))
    elif "located" in doc and not (dl and dl.get("region")):
        fail("%s: located %r without a dateline" % (name, doc["located"]))
    agency = ev["agency"] or (dl or {}).get("agency")
    srcs = [s["name"] for s in doc.get("infosources", [])]
    if srcs != ([agency] if agency else []):
        fail("%s: infosources %r for agency %r" % (name, srcs, agency))
    # Both bodies hold exactly the event's paragraphs.
    bodies = {b["contenttype"]: b for b in doc.get("bodies", [])}
    if ev["body"]:
        plain = bodies["text/plain"]["value"].split("\n\n")
        paras = [html.unescape(p) for p in
                 re.findall(r"<p>(.*?)</p>", bodies["text/html"]["value"],
                            re.S)]
        if plain != ev["body"] or paras != ev["body"]:
            fail("%s: bodies do not hold the event's paragraphs" % name)
        chars = sum(len(p) for p in ev["body"])
        if bodies["text/plain"]["charcount"] != chars:
            fail("%s: charcount %r != %d" % (
                name, bodies["text/plain"]["charcount"], chars))
        if "<" in "".join(ev["body"]) and "&lt;" not in \
                bodies["text/html"]["value"]:
            fail("%s: '<' not escaped in text/html" % name)
    elif bodies:
        fail("%s: bodies for an empty body" % name)
    for kind, key in (("person", "people"), ("organisation",
                                               "organisations")):
        want = [s["name"] for s in ev["speakers"] if s["type"] == kind]
        got = [p["name"] for p in doc.get(key, [])]
        if got != want:
            fail("%s: %s %r != speakers %r" % (name, key, got, want))
    quotes = doc[EXT]
    if len(quotes) != len(ev["quotes"]):
        fail("%s: %d quotes in ninjs, %d in the event" % (
            name, len(quotes), len(ev["quotes"])))
    for q, e in zip(quotes, ev["quotes"]):
        if (q["text"], q["kind"], q["paragraph"], q["offset"]) != \
                (e["text"], e["kind"], e["paragraph"], e["offset"]):
            fail("%s: quote %r != %r" % (name, q, e))
        if (q.get("speaker") or {}).get("name") != \
                (e["speaker"] or {}).get("name"):
            fail("%s: quote speaker differs: %r" % (name, q))
    caps = doc.get("associations", [])
    want = [c for c in ev["captions"] if c["text"] or c["credit"]]
    got = [((a.get("descriptions") or [{}])[0].get("value"), a.get("by"))
           for a in caps]
    if got != [(c["text"], c["credit"]) for c in want]:
        fail("%s: picture associations %r for captions %r" % (
            name, got, want))


def check_expected(name, doc, want):
    """Hand-checked facts of a fixture (fixtures/expected.json), read off
    the dispatch, not off the program's output."""
    got = {
        "language": doc.get("language"),
        "located": doc.get("located"),
        "headlines": {h["role"]: h["value"] for h in doc.get("headlines",
                                                           [])},
        "infosources": [s["name"] for s in doc.get("infosources", [])],
        "picture_credits": [a.get("by") for a in doc.get("associations",
                                                         [])],
    }
    for k, v in want.items():
        if got[k] != v:
            fail("%s: %s is %r, expected %r" % (name, k, got[k], v))


def load_expected(fixtures):
    for f in fixtures:
        if f != "--sample":
            path = f.rsplit("/", 1)[0] + "/expected.json"
            with open(path, encoding="utf-8") as fh:
                return json.load(fh)
    return {}


def mode_valid(iptc_v, ext_v, lines, expected):
    for l in lines:
        name, doc = l["file"].rsplit("/", 1)[-1], l["ninjs"]
        if EXT not in doc:
            fail("%s: no %s property" % (name, EXT))
            continue
        e = errors(ext_v, doc)
        if e:
            fail("%s: invalid against the extended schema: %s" % (name, e))
        bare = {k: v for k, v in doc.items() if k != EXT}
        e = errors(iptc_v, bare)
        if e:
            fail("%s: without %s, invalid against IPTC's schema: %s" % (
                name, EXT, e))
        if not errors(iptc_v, doc):
            fail("%s: IPTC's schema accepted the extension property" % name)
        check_matches_event(name, l["event"], doc)
        if name != "--sample":
            if name not in expected:
                fail("%s: not in expected.json" % name)
            else:
                check_expected(name, doc, expected[name])
        print("ok: %s (%d quotes, %d bodies)" % (
            name, len(doc[EXT]), len(doc.get("bodies", []))))


def mode_negative(iptc_v, ext_v, lines):
    doc = lines[0]["ninjs"]
    bare = {k: v for k, v in doc.items() if k != EXT}
    cases = []
    unknown = dict(bare, newswired_unknown=1)
    cases.append(("unknown top-level property", iptc_v, unknown))
    cases.append(("unknown top-level property", ext_v, unknown))
    cases.append(("representationtype complete (ninjs 1.x)", iptc_v,
                  dict(bare, representationtype="complete")))
    cases.append(("uri that is not a URI", iptc_v, dict(bare, uri="a b")))
    people = dict(bare, people=[{"name": "X", "role": "quoted"}])
    cases.append(("people with 'role' instead of 'rel'", iptc_v, people))
    q = {"text": "x", "kind": "direct", "paragraph": 0, "offset": [0, 1]}
    cases.append(("quote of unknown kind", ext_v,
                  dict(doc, **{EXT: [dict(q, kind="shouted")]})))
    cases.append(("quote without offset", ext_v,
                  dict(doc, **{EXT: [{k: v for k, v in q.items()
                                      if k != "offset"}]})))
    cases.append(("quote with an unknown field", ext_v,
                  dict(doc, **{EXT: [dict(q, speaker_id=3)]})))
    cases.append(("offset of three numbers", ext_v,
                  dict(doc, **{EXT: [dict(q, offset=[0, 1, 2])]})))
    # The good quote is accepted, so the refusals above are about the fault.
    if errors(ext_v, dict(doc, **{EXT: [q]})):
        fail("a well-formed quote was refused")
    for what, v, d in cases:
        e = errors(v, d)
        which = "IPTC" if v is iptc_v else "extended"
        if not e:
            fail("%s schema accepted: %s" % (which, what))
        else:
            print("ok: %s schema refused %s: %s" % (which, what, e[0]))


def mode_extended_copy(iptc, ext):
    # Only "$id" and the one property may differ (ninjs User Guide: copy the
    # schema, give it your own id, add your properties).
    if ext.get("$id") == iptc.get("$id"):
        fail("the extended copy keeps IPTC's $id")
    props = ext["$defs"]["ninjsType"]["properties"]
    if EXT not in props:
        fail("the extended copy lacks " + EXT)
    stripped = copy.deepcopy(ext)
    stripped["$id"] = iptc["$id"]
    stripped["$defs"]["ninjsType"]["properties"].pop(EXT, None)
    if stripped != iptc:
        fail("the extended copy differs from IPTC's beyond $id and " + EXT)
    if not failures:
        print("ok: extended copy = IPTC's schema + $id + " + EXT)


def main():
    mode, d = sys.argv[1], sys.argv[2]
    iptc, ext = load_schemas(d)
    if mode == "extended-copy":
        mode_extended_copy(iptc, ext)
    else:
        require_uri_format()
        iptc_v, ext_v = validator(iptc), validator(ext)
        print("validator: %s" % type(iptc_v).__name__)
        lines = render(sys.argv[3], sys.argv[4:])
        if mode == "valid":
            mode_valid(iptc_v, ext_v, lines, load_expected(sys.argv[4:]))
        else:
            mode_negative(iptc_v, ext_v, lines)
    if failures:
        print("%d failure(s)" % len(failures))
        sys.exit(1)


if __name__ == "__main__":
    main()
