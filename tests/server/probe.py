#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Measures `sigma serve` the way a long-lived deployment uses it; prints figures, asserts
nothing (the tests in test_server.py do). Standard library only.

  probe.py SIGMA soak N      N sessions, 10 requests each on new connections: server RSS
  probe.py SIGMA closed N    N clients each send one request then close: server's open fds
  probe.py SIGMA burst N     N quick connections: the slowest connect
  probe.py SIGMA fdlimit N   file limit 64, N idle clients: CPU, warnings, recovery
"""

import json
import os
import re
import resource
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request


def start(sigma, low_limit=False):
    def limit():
        resource.setrlimit(resource.RLIMIT_NOFILE, (64, 64))

    db = os.path.join(tempfile.mkdtemp(prefix="sigma-probe-"), "results.db")
    proc = subprocess.Popen([sigma, "serve", "--port", "0", "--db", db],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            preexec_fn=limit if low_limit else None)
    port = int(re.search(r":(\d+)/", proc.stdout.readline()).group(1))
    return proc, port


def request(port, method, path, body=None):
    data = json.dumps(body).encode() if body is not None else None
    r = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=data, method=method,
                               headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(r) as f:
            return json.loads(f.read() or b"null")
    except urllib.error.HTTPError as e:
        return json.loads(e.read() or b"null")


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        return int(next(l for l in f if l.startswith("VmRSS")).split()[1])


def cpu_ticks(pid):
    with open(f"/proc/{pid}/stat") as f:
        return sum(int(x) for x in f.read().split()[13:15])


def n_fds(pid):
    return len(os.listdir(f"/proc/{pid}/fd"))


def main(sigma, what, n):
    proc, port = start(sigma, low_limit=what == "fdlimit")
    try:
        if what == "soak":
            first = None
            for i in range(n):
                sid = request(port, "POST", "/sessions", {"scenario_id": "reschedule_cancelled_meeting"})["session_id"]
                request(port, "POST", f"/sessions/{sid}/start")
                for _ in range(5):
                    request(port, "POST", f"/sessions/{sid}/tool", {"tool": "Calendar__get_all_tags"})
                request(port, "POST", f"/sessions/{sid}/respond", {"message": "done"})
                request(port, "GET", f"/sessions/{sid}/events")
                request(port, "DELETE", f"/sessions/{sid}")
                if i == 0:
                    first = rss_kib(proc.pid)
            print(f"soak: {n} sessions; RSS after the first {first} KiB, after the last {rss_kib(proc.pid)} KiB")
        elif what == "closed":
            before = n_fds(proc.pid)
            for _ in range(n):
                s = socket.create_connection(("127.0.0.1", port))
                s.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n")
                s.recv(4096)
                s.close()
            time.sleep(1)
            print(f"closed: {n} clients; server fds {before} before, {n_fds(proc.pid)} after")
        elif what == "burst":
            time.sleep(1)
            socks, worst = [], 0.0
            for _ in range(n):
                t = time.perf_counter()
                socks.append(socket.create_connection(("127.0.0.1", port), timeout=30))
                worst = max(worst, time.perf_counter() - t)
            print(f"burst: {n} connections; slowest connect {worst * 1000:.1f} ms")
        elif what == "fdlimit":
            time.sleep(1)
            socks = []
            for _ in range(n):
                try:
                    socks.append(socket.create_connection(("127.0.0.1", port), timeout=0.5))
                except OSError:
                    break
            time.sleep(1)
            c0 = cpu_ticks(proc.pid)
            time.sleep(2)
            busy = cpu_ticks(proc.pid) - c0
            for s in socks:
                s.close()
            time.sleep(1)
            try:
                s = socket.create_connection(("127.0.0.1", port), timeout=5)
                s.settimeout(5)
                s.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n")
                status = s.recv(64).split(b"\r\n")[0].decode()
            except OSError as e:
                status = repr(e)
            print(f"fdlimit: {len(socks)} idle clients under a limit of 64; CPU ticks in 2 s: {busy}; "
                  f"afterwards /health: {status}")
    finally:
        proc.terminate()
        err = proc.communicate(timeout=30)[1]
    if what == "fdlimit":
        print(f"stderr: {len(err.splitlines())} lines; first: {err.splitlines()[:1]}")


if __name__ == "__main__":
    if len(sys.argv) != 4 or sys.argv[2] not in ("soak", "closed", "burst", "fdlimit"):
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]))
