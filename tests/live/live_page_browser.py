#!/usr/bin/python3
"""The live page in a real browser: headless Chromium loads GET / from a
running daemon and shows the events confirmed before it loaded; dispatches
dropped into the spool afterwards appear within 10 s with their speakers and
quotations; a hostile dispatch (<script>, <img onerror>) shows its markup as
text and runs nothing; the speaker and language filters hide what they
should. Saves a screenshot (argument 1, or live-page.png in the current
directory). Prints how long each wait took."""
import os
import sys
import time

import livetest as L

try:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select
except ImportError:
    if os.environ.get("CI") == "true":
        L.fail("python3-selenium is missing (tests/install-deps.sh)")
    print("SKIP: python3-selenium is missing")
    sys.exit(77)

SHOT = sys.argv[1] if len(sys.argv) > 1 else "live-page.png"
HOSTILE = ("Protest outside the ministry <script>window.__pwned = 1;"
           "</script><img src=x onerror=\"window.__pwned = 2\">")

BEFORE = [
    ("MURMANSK", 3, "Northern port handles record coal volume",
     "head of the port authority", "Igor Semyonov",
     "The new sidings let us unload two more trains a day"),
    ("VLADIVOSTOK", 4, "Ferry line to Sakhalin to run all winter",
     "Regional Transport Minister", "Oksana Belova",
     "We have chartered an ice-class vessel for the whole season"),
]
AFTER = [
    ("KAZAN", 5, "Bridge over the Volga to open in the autumn",
     "city mayor", "Ilsur Metshin",
     "The builders are ahead of schedule and the bridge will be ready "
     "by September"),
    ("ST. PETERSBURG", 6, "Hermitage returns a restored portrait to its hall",
     "museum director", "Mikhail Piotrovsky",
     "The restorers removed several layers of old varnish"),
]
RUSSIAN = ("НОВОСИБИРСК", 7, "В Новосибирске открыли новую станцию метро",
           "мэр города", "Анатолий Локоть",
           "Станция разгрузит центр города уже этой зимой")


def browser():
    o = webdriver.ChromeOptions()
    for a in ("--no-sandbox", "--headless", "--disable-gpu",
              "--disable-background-networking", "--disable-component-update",
              "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
              "--window-size=1280,1000"):
        o.add_argument(a)
    o.binary_location = "/usr/bin/chromium"
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"),
                            options=o)


def events(drv):
    """[(headline text, [(speaker, quotation text)], hidden)] in the DOM."""
    return drv.execute_script("""
        return Array.from(document.querySelectorAll('#events .event')).map(
          function (e) {
            return [e.querySelector('.headline-text').textContent,
                    Array.from(e.querySelectorAll('.quote')).map(function (q) {
                      return [q.querySelector('.speaker').textContent,
                              q.querySelector('.text').textContent];
                    }),
                    e.classList.contains('hidden')];
          });""")


def wait_for(drv, cond, what, limit=10.0):
    t0 = time.monotonic()
    while time.monotonic() - t0 < limit:
        if cond():
            took = time.monotonic() - t0
            print("ok: %s in %.2f s (limit %.0f s)" % (what, took, limit),
                  flush=True)
            return took
        time.sleep(0.05)
    L.fail("not within %.0f s: %s; the page has %r" %
           (limit, what, events(drv)))


def shown(drv, headline, name, quote):
    for h, quotes, _ in events(drv):
        if h == headline:
            return any(n == name and quote in t for n, t in quotes)
    return False


def main():
    d = L.daemon("livepage")
    drv = None
    try:
        d.start()
        for i, b in enumerate(BEFORE):
            L.drop(d, "b%d.txt" % i, L.dispatch(*b))
        d.wait_for(lambda: d.count_lines() == 2, 20, "2 events")
        t_start = time.monotonic()
        drv = browser()
        print("browser started in %.2f s" % (time.monotonic() - t_start))
        drv.get("http://%s/" % d.admin)
        wait_for(drv, lambda: all(shown(drv, b[2], b[4], b[5])
                                  for b in BEFORE),
                 "the 2 events confirmed before the page loaded")
        wait_for(drv, lambda: drv.find_element(By.ID, "conn").text == "live",
                 "the stream connected")

        for i, a in enumerate(AFTER):
            L.drop(d, "a%d.txt" % i, L.dispatch(*a))
        L.drop(d, "ru.txt", L.dispatch(*RUSSIAN, lang="ru"))
        L.drop(d, "hostile.txt", L.dispatch(
            "MOSCOW", 8, HOSTILE, "police spokeswoman", "Irina Volk",
            "Nobody was detained <img src=x onerror=\"window.__pwned = 3\">"))
        wait_for(drv, lambda: all(shown(drv, a[2], a[4], a[5])
                                  for a in AFTER) and
                 shown(drv, RUSSIAN[2], RUSSIAN[4], RUSSIAN[5]) and
                 any("Protest outside" in h for h, _, _ in events(drv)),
                 "4 dispatches dropped after load, with speakers and "
                 "quotations")

        # The hostile dispatch: its markup is text, and nothing ran.
        hostile = [e for e in events(drv) if "Protest outside" in e[0]][0]
        L.check("<script>window.__pwned = 1;</script>" in hostile[0] and
                "<img src=x onerror=" in hostile[0],
                "the hostile headline shows its markup as text: %r" %
                hostile[0])
        L.check(any("<img src=x onerror=" in t for _, t in hostile[1]),
                "the hostile quotation shows its markup as text")
        L.check(drv.execute_script("return window.__pwned === undefined"),
                "no script of the dispatch ran (window.__pwned unset)")
        L.check(len(drv.find_elements(By.CSS_SELECTOR, "#events img")) == 0 and
                len(drv.find_elements(By.CSS_SELECTOR, "#events script")) == 0,
                "no img or script element was made from the dispatch")
        L.check(drv.execute_script("return document.scripts.length") == 1,
                "the page has its one script, live.js")

        # Health: the spool source and the file sink are listed.
        wait_for(drv, lambda: "wire (spool)" in drv.execute_script(
            "return document.getElementById('sources').textContent") and
            "out (file)" in drv.execute_script(
            "return document.getElementById('sinks').textContent"),
                 "per-source health and per-sink queue shown")

        # Filters.
        box = drv.find_element(By.ID, "f-speaker")
        box.send_keys("piotrovsky")
        vis = [h for h, _, hidden in events(drv) if not hidden]
        L.check(vis == [AFTER[1][2]], "speaker filter: only Piotrovsky's "
                "event visible (got %r)" % vis)
        box.clear()
        box.send_keys(" ")  # clear() fires no input event
        Select(drv.find_element(By.ID, "f-language")).select_by_value("ru")
        vis = [h for h, _, hidden in events(drv) if not hidden]
        L.check(vis == [RUSSIAN[2]], "language filter: only the Russian "
                "event visible (got %r)" % vis)
        Select(drv.find_element(By.ID, "f-language")).select_by_value("")
        vis = [h for h, _, hidden in events(drv) if not hidden]
        L.check(len(vis) == 6, "no filter: all 6 events visible")

        # The health table follows the counts (it polls every 5 s).
        # (read in one script: the table is rebuilt under a held element)
        wait_for(drv, lambda: drv.execute_script(
            "var c = document.querySelector('#sources tbody td:nth-child(3)');"
            "return c ? c.textContent : null;") == "6",
            "the source's count of 6 received shown")
        drv.save_screenshot(SHOT)
        L.check(os.path.getsize(SHOT) > 10000, "screenshot saved: " + SHOT)
    finally:
        if drv is not None:
            drv.quit()
        rc = L.stop(d)
        d.cleanup()
    L.check(rc == 0, "the daemon exits 0 (sanitizers found nothing)")
    print("PASS")


main()
