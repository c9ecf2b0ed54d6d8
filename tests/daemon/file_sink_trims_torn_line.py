"""A crash can leave half a line at the end of the file sink's file: at
start-up it is trimmed (and logged), whole lines before it are kept, and new
events follow on lines of their own, so every line is whole JSON."""
import json

from nwtest import Daemon, check, dispatch_text, drop_atomic

d = Daemon("torn")
try:
    whole = json.dumps({"id": "kept", "n": 1})
    with open(d.out, "w") as f:
        f.write(whole + "\n" + '{"id": "torn", "body": ["half a li')
    d.start()
    check("trimming a torn last line" in d.log_text(), "no trim logged")
    drop_atomic(d.incoming, "a.txt", dispatch_text(1))
    d.wait_for(lambda: d.count_lines() == 2, 20, "event")
    evs = d.events()  # fails on a line that is not whole JSON
    check(evs[0] == {"id": "kept", "n": 1}, "whole line lost: %r" % evs[0])
    check(evs[1]["source"]["uri"].endswith("a.txt"), "new event")
    check(d.stop() == 0, "exit status")
    # A file that is only a torn line is emptied.
    with open(d.out, "w") as f:
        f.write('{"id": "tor')
    d.start()
    check(d.count_lines() == 0 and open(d.out).read() == "",
          "not emptied: %r" % open(d.out).read())
    check(d.stop() == 0, "exit status")
    print("ok: torn last line trimmed, whole lines kept")
finally:
    d.cleanup()
