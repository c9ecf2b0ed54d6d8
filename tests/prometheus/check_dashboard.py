"""Static check of the Grafana dashboard (Grafana is not in Debian, so it is
never loaded): the JSON's structure as Grafana imports it, and every query
compiled by promtool, with the dashboard's variables filled in, as a
recording rule. Usage: check_dashboard.py DASHBOARD.json WORKDIR"""
import json
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import promql_names  # noqa: E402

PANEL_TYPES = {"row", "stat", "timeseries", "state-timeline", "gauge",
               "table", "bargauge", "text"}
problems = []


def bad(msg):
    problems.append(msg)


path, work = sys.argv[1], sys.argv[2]
os.makedirs(work, exist_ok=True)
d = json.load(open(path))
for key in ("title", "uid", "schemaVersion", "panels", "templating", "time"):
    if key not in d:
        bad("no top-level %r" % key)
if not re.fullmatch(r"[A-Za-z0-9_-]{1,40}", d.get("uid", "")):
    bad("uid %r is not a Grafana uid" % d.get("uid"))
variables = {v["name"]: v for v in d["templating"]["list"]}
if variables.get("datasource", {}).get("query") != "prometheus":
    bad("no datasource variable of type prometheus")
ids, cells = set(), []
for p in d["panels"]:
    where = "panel %r" % p.get("title")
    if p.get("id") in ids:
        bad(where + ": duplicate id %r" % p.get("id"))
    ids.add(p.get("id"))
    if p.get("type") not in PANEL_TYPES:
        bad(where + ": unknown type %r" % p.get("type"))
    g = p.get("gridPos", {})
    if not all(isinstance(g.get(k), int) for k in "xywh") or \
            g["x"] < 0 or g["w"] < 1 or g["x"] + g["w"] > 24:
        bad(where + ": gridPos %r outside the 24 columns" % g)
    else:
        cells.append((where, g))
    if p.get("type") == "row":
        continue
    if p.get("datasource", {}).get("uid") != "${datasource}":
        bad(where + ": datasource is not the ${datasource} variable")
    refs = [t.get("refId") for t in p.get("targets", [])]
    if not refs or len(set(refs)) != len(refs):
        bad(where + ": no targets, or refIds not unique: %r" % refs)
    for t in p.get("targets", []):
        if not t.get("expr"):
            bad(where + ": target %s has no expr" % t.get("refId"))
# Overlapping panels are drawn on top of each other.
for i, (wa, a) in enumerate(cells):
    for wb, b in cells[i + 1:]:
        if a["x"] < b["x"] + b["w"] and b["x"] < a["x"] + a["w"] and \
                a["y"] < b["y"] + b["h"] and b["y"] < a["y"] + a["h"]:
            bad("%s overlaps %s" % (wa, wb))

# Every query through promtool, variables replaced by what Grafana sends.
exprs = promql_names.dashboard_exprs(path)
rules = ["groups:", "  - name: dashboard", "    rules:"]
for i, (where, e) in enumerate(exprs):
    for var in re.findall(r"\$\{?(\w+)\}?", e):
        if var not in variables and not var.startswith("__"):
            bad("%s: unknown variable $%s" % (where, var))
    e = e.replace("$__rate_interval", "5m").replace("$__interval", "1m")
    e = re.sub(r"\$\{?\w+\}?", ".*", e)
    rules += ["      - record: dashboard:query_%d" % i,
              "        expr: %s" % json.dumps(e)]
rf = os.path.join(work, "dashboard-queries.rules.yml")
with open(rf, "w") as f:
    f.write("\n".join(rules) + "\n")
r = subprocess.run(["promtool", "check", "rules", rf], capture_output=True,
                   text=True)
if r.returncode != 0:
    bad("promtool rejects a dashboard query:\n" + r.stdout + r.stderr)
print("dashboard: %d panels, %d queries compiled by promtool" %
      (len(d["panels"]), len(exprs)))
for p in problems:
    print("FAIL: " + p)
sys.exit(1 if problems else 0)
