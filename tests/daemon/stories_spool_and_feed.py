#!/usr/bin/python3
"""One story through two sources and two restarts: a flash (spool), the
first version (a feed item), an update after a restart (spool), a repeat of
the first version through the spool (acknowledged, logged "repeat of ID",
not published), and a correction made to the feed item in place (its
<updated> time and text change, so the feed fetches it again) come out as
one story, versions 1..4 in order, each superseding the one before, with the
right kinds. After kill -9 the index is replayed: a dispatch delivered again
gets the version it had and the next one continues the count. With
`repeats = publish` a repeat is published, marked, with the same version."""
import os
import shutil
import signal
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.append(os.path.join(HERE, "..", "http"))
from fixture_server import FixtureServer  # noqa: E402
import nwtest as T  # noqa: E402

HEAD = "Fire breaks out at grain terminal in Novorossiysk port"
LEDE = ("NOVOROSSIYSK, October 14. /TASS/. A fire broke out at a grain "
        "terminal in the port of Novorossiysk on Tuesday morning, the "
        "regional emergencies ministry told TASS.")
P2 = ("About 40 firefighters and ten fire engines are at the scene. No one "
      "has been hurt, according to preliminary data.")
P2_FIXED = P2.replace("About 40", "About 60")
QUOTE = ("\"The fire has been contained on an area of 300 square meters. "
         "Loading at the other berths goes on as planned,\" the port "
         "authority said.")

FLASH = "URGENT: " + HEAD + "\n"
FIRST = "%s\n\n%s\n\n%s\n" % (HEAD, LEDE, P2)
UPDATE = ("Fire at Novorossiysk grain terminal contained, port operations "
          "continue\n\n%s\n\n%s\n\n%s\n" % (LEDE, P2, QUOTE))
FIX_NOTE = "(Corrects number of firefighters in paragraph 2)"


def feed_xml(title, paras, updated):
    body = "".join("<p>%s</p>" % p for p in paras)
    return """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
     xmlns:atom="http://www.w3.org/2005/Atom">
<channel><title>Wire</title><link>{{BASE}}/</link><description>w</description>
<item>
<guid isPermaLink="false">tass-881204</guid>
<link>{{BASE}}/news/881204</link>
<title>%s</title>
<pubDate>Tue, 14 Oct 2025 06:40:00 GMT</pubDate>
<atom:updated>%s</atom:updated>
<content:encoded><![CDATA[%s]]></content:encoded>
</item>
</channel></rss>
""" % (title, updated, body)


def story_events(d):
    return [e for e in d.events() if e.get("story")]


def main():
    fix = tempfile.mkdtemp(prefix="nwd-stories-fix-")
    with open(os.path.join(fix, "empty.xml"), "w") as f:
        f.write('<?xml version="1.0"?><rss version="2.0"><channel>'
                "<title>Wire</title><link>{{BASE}}/</link>"
                "<description>w</description></channel></rss>\n")
    with open(os.path.join(fix, "first.xml"), "w") as f:
        f.write(feed_xml(HEAD, [LEDE, P2], "2025-10-14T06:40:00Z"))
    with open(os.path.join(fix, "corrected.xml"), "w") as f:
        f.write(feed_xml(HEAD, [LEDE, P2_FIXED, FIX_NOTE],
                         "2025-10-14T08:05:00Z"))
    srv = FixtureServer(fix)
    srv.set(feed="empty.xml")
    feed = ("[sink out]\ntype = file\npath = events.jsonl\n\n"
            "[source web]\ntype = feed\nurl = %s/feed.xml\ninterval = 1s\n"
            "jitter = 0\nfetch_articles = no\nsinks = out\n" % srv.base)
    d = T.Daemon("stories", extra_daemon="log_level = info\n", sinks=feed)
    try:
        d.start()
        d.wait_for(lambda: "feed source=web" in d.log_text(), 30,
                   "the feed source started")
        # 1. The flash through the spool.
        T.drop_atomic(d.incoming, "a1-flash.txt", FLASH)
        d.wait_for(lambda: len(d.events()) == 1, 30, "the flash")
        flash = d.events()[0]
        s = flash["story"]
        T.check(s["kind"] == "flash" and s["version"] == 1 and
                s["supersedes"] is None,
                "flash: kind flash, version 1, supersedes nothing: %r" % s)
        key = s["key"]
        # 2. The first full version, as a feed item.
        srv.set(feed="first.xml")
        d.wait_for(lambda: len(d.events()) == 2, 30, "the feed's item")
        first = d.events()[1]
        s = first["story"]
        T.check(first["source"]["type"] == "feed", "second event from feed")
        T.check(s["key"] == key and s["version"] == 2 and
                s["kind"] == "first" and s["supersedes"] == flash["id"],
                "feed item: same story, version 2, kind first, supersedes "
                "the flash: %r" % s)
        # The line follows the sink's confirmation: wait for it.
        d.wait_for(lambda: "story=%s v=2 kind=first" % key in d.log_text(),
                   30, "the log line story=KEY v=2 kind=first")
        # 3. A restart, then the update through the spool.
        T.check(d.stop() == 0, "SIGTERM: exit 0")
        d.start()
        T.drop_atomic(d.incoming, "a2-update.txt", UPDATE)
        d.wait_for(lambda: len(d.events()) == 3, 30, "the update")
        upd = d.events()[2]
        s = upd["story"]
        T.check(s["key"] == key and s["version"] == 3 and
                s["kind"] == "update" and s["supersedes"] == first["id"],
                "after a restart the update is version 3 of the same story, "
                "superseding the first: %r" % s)
        # 4. The first version again, through the second source.
        T.drop_atomic(d.incoming, "a3-repeat.txt", FIRST)
        d.wait_for(lambda: os.path.exists(
            os.path.join(d.done, "a3-repeat.txt")), 30, "the repeat done")
        T.check("repeat of %s" % first["id"] in d.log_text(),
                "the repeat is logged as 'repeat of %s'" % first["id"])
        T.check(len(d.events()) == 3, "the repeat is not published")
        # 5. The feed item corrected in place: fetched again.
        srv.set(feed="corrected.xml")
        d.wait_for(lambda: len(d.events()) == 4, 30, "the corrected item")
        corr = d.events()[3]
        s = corr["story"]
        T.check(s["key"] == key and s["version"] == 4 and
                s["kind"] == "correction" and s["supersedes"] == upd["id"],
                "item corrected in place: version 4, kind correction, "
                "superseding the update: %r" % s)
        # 6. kill -9, and a dispatch delivered again (its file back in
        # incoming/, as when a crash came before the move to done/). The
        # kill may also come before the feed remembered the correction:
        # then it is delivered again too, and must keep its version.
        d.kill9()
        os.rename(os.path.join(d.done, "a2-update.txt"),
                  os.path.join(d.incoming, "a2-update.txt"))
        d.start()
        d.wait_for(lambda: any(e["id"] == upd["id"]
                               for e in d.events()[4:]), 30,
                   "the redelivered update")
        before = {e["id"]: e["story"] for e in (flash, first, upd, corr)}
        for e in d.events()[4:]:
            T.check(e["id"] in before and e["story"] == before[e["id"]],
                    "after kill -9 a redelivered %s has the story and "
                    "version it had: %r" % (e["story"]["kind"], e["story"]))
        # 7. With repeats = publish, a repeat is published, marked.
        d.write_conf(extra_daemon="log_level = info\nrepeats = publish\n",
                     sinks=feed)
        d.signal(signal.SIGHUP)
        d.wait_for(lambda: "reloaded configuration" in d.log_text(), 30,
                   "the reload")
        n = len(d.events())
        T.drop_atomic(d.incoming, "a4-repeat.txt", FIRST)
        d.wait_for(lambda: len(d.events()) == n + 1, 30,
                   "the published repeat")
        rep = d.events()[n]
        T.check(rep["id"] == first["id"] and rep["story"]["repeat"] is True
                and rep["story"]["key"] == key and
                rep["story"]["version"] == 2,
                "repeats = publish: the repeat is published with the "
                "version it repeats, marked: %r" % rep["story"])
        T.check(d.stop() == 0, "SIGTERM: exit 0")
        seen, vs = set(), []
        for e in story_events(d):
            if e["id"] not in seen:
                seen.add(e["id"])
                vs.append((e["story"]["version"], e["story"]["kind"]))
        T.check(vs == [(1, "flash"), (2, "first"), (3, "update"),
                       (4, "correction")],
                "one story, versions in the order published: %r" % vs)
        print("ok: one story, versions in order, across restart and kill -9")
    finally:
        srv.close()
        d.cleanup()
        shutil.rmtree(fix, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
