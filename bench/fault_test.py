#!/usr/bin/env python3
"""Fault and load test of `corridor serve`, bounded in time (about 75 s).

What a hostile or careless client population does to a server, all at once, while wrk keeps
32 connections of legitimate `/v1/route` traffic going for 60 s:

- reloads: SIGHUP every 5 s; at 25 s a corrupt dataset (a bad row in links.csv) is reloaded
  through `POST /admin/reload` (must be refused with 422 `InvalidDataset` while the old data
  keeps serving), then restored; at 40 s 20 concurrent reloads;
- slowloris: 200 connections that send a request's headers one byte a second (the server
  must close each within its 10 s header timeout, plus slack);
- slow bodies: 40 POSTs that declare 200 bytes and send one a second (must get 408, and must
  not take work slots from the legitimate traffic);
- huge Content-Length: 20 POSTs declaring 1 GB (must get 413 at once, under 1 s).

It prints requests, errors, p50/p99 and the server's RSS before and after, and exits non-zero
on any failed or non-2xx legitimate request, any 5xx other than a deliberate 503/504, a
deliberate check that does not hold, or a server that died.

    cargo build --release -p corridor-cli && python3 bench/fault_test.py

Environment: CORRIDOR_BIN (default target/release/corridor), DURATION (legitimate load,
seconds, default 60). Needs wrk (apt-get install wrk). Standard library only.
"""

import http.client
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.environ.get("CORRIDOR_BIN", os.path.join(ROOT, "target", "release", "corridor"))
DURATION = int(os.environ.get("DURATION", "60"))
HEADER_TIMEOUT = 10.0  # the server's default (Limits::header_timeout)

failures = []
lock = threading.Lock()


def fail(what):
    with lock:
        failures.append(what)
    print(f"FAIL: {what}", flush=True)


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def rss_kb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def request(port, method, path, body=None, headers=None, timeout=30):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        c.request(method, path, body=body, headers=headers or {})
        r = c.getresponse()
        return r.status, r.read()
    finally:
        c.close()


def deliberate_status(status, what):
    """A response of an attack: 5xx only as a deliberate 503/504."""
    if status >= 500 and status not in (503, 504):
        fail(f"{what}: status {status}")


def slowloris(port, n, started):
    """n connections trickling headers; each must be closed within the header timeout."""
    conns = []
    for _ in range(n):
        s = socket.create_connection(("127.0.0.1", port))
        s.sendall(b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        s.setblocking(False)
        conns.append(s)
    opened = time.monotonic()
    closed_at = {}
    while time.monotonic() - opened < HEADER_TIMEOUT + 8 and len(closed_at) < n:
        for i, s in enumerate(conns):
            if i in closed_at:
                continue
            try:
                s.send(b"X")
            except (BrokenPipeError, ConnectionResetError, OSError):
                closed_at[i] = time.monotonic() - opened
                continue
            try:
                if s.recv(4096) == b"":
                    closed_at[i] = time.monotonic() - opened
            except BlockingIOError:
                pass
            except (ConnectionResetError, OSError):
                closed_at[i] = time.monotonic() - opened
        time.sleep(1.0)
    for s in conns:
        s.close()
    late = n - len(closed_at)
    worst = max(closed_at.values(), default=0.0)
    print(f"slowloris: {len(closed_at)} of {n} connections closed by the server, the last after {worst:.1f} s", flush=True)
    if late:
        fail(f"slowloris: {late} of {n} connections still open after {HEADER_TIMEOUT + 8:.0f} s")


def slow_body(port, results):
    s = socket.create_connection(("127.0.0.1", port), timeout=HEADER_TIMEOUT + 20)
    s.sendall(b"POST /v1/route HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
              b"Content-Length: 200\r\n\r\n")
    t = time.monotonic()
    status = None
    try:
        for _ in range(40):
            s.sendall(b" ")
            s.settimeout(1.0)
            try:
                data = s.recv(4096)
                if data:
                    status = int(data.split(b" ", 2)[1])
                    break
                break
            except socket.timeout:
                continue
    except OSError:
        pass
    finally:
        s.close()
    results.append((status, time.monotonic() - t))


def huge_length(port, results):
    s = socket.create_connection(("127.0.0.1", port), timeout=10)
    t = time.monotonic()
    s.sendall(b"POST /v1/route HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
              b"Content-Length: 1000000000\r\n\r\n{")
    try:
        data = s.recv(4096)
        status = int(data.split(b" ", 2)[1]) if data else None
    except OSError:
        status = None
    results.append((status, time.monotonic() - t))
    s.close()


def reload_post(port, results):
    try:
        status, body = request(port, "POST", "/admin/reload", body=b"", headers={"Host": f"127.0.0.1:{port}"}, timeout=60)
    except OSError as e:
        status, body = None, str(e).encode()
    results.append((status, body))


def main():
    if not shutil.which("wrk"):
        print("wrk not found: apt-get install wrk", file=sys.stderr)
        return 2
    if not os.access(BIN, os.X_OK):
        print(f"{BIN} not found: cargo build --release -p corridor-cli, or set CORRIDOR_BIN", file=sys.stderr)
        return 2
    data = tempfile.mkdtemp(prefix="corridor-fault-")
    shutil.copytree(os.path.join(ROOT, "data", "eurasia"), data, dirs_exist_ok=True)
    port = free_port()
    log = open(os.path.join(data, "server.log"), "w")
    env = dict(os.environ, RUST_LOG="warn,corridor_server::state=info")
    server = subprocess.Popen([BIN, "--data", data, "serve", "--bind", f"127.0.0.1:{port}"], stdout=log, stderr=log, env=env)
    try:
        for _ in range(300):
            try:
                if request(port, "GET", "/health", timeout=2)[0] == 200:
                    break
            except OSError:
                pass
            if server.poll() is not None:
                print("server exited at start", file=sys.stderr)
                return 1
            time.sleep(0.1)
        for q in ["from=CNXIA&to=DEDUI&optimize=time", "from=KZALA&to=TRIST&optimize=time"]:
            if request(port, "GET", f"/v1/route?{q}")[0] != 200:
                fail(f"warm-up /v1/route?{q}")
        rss_before = rss_kb(server.pid)
        out = tempfile.NamedTemporaryFile("w+", suffix=".txt", delete=False)
        wrk = subprocess.Popen(
            ["wrk", "-t2", "-c32", f"-d{DURATION}s", "--timeout", "10s", "--latency", "-s",
             os.path.join(ROOT, "bench", "route_mix.lua"), f"http://127.0.0.1:{port}"],
            stdout=out, stderr=subprocess.STDOUT)
        start = time.monotonic()
        threads = []

        def later(at, fn, *args):
            def run():
                time.sleep(max(0.0, at - (time.monotonic() - start)))
                fn(*args)
            t = threading.Thread(target=run, daemon=True)
            t.start()
            threads.append(t)

        slow, huge, reloads, bad_reload = [], [], [], []
        later(2, slowloris, port, 200, start)
        for i in range(40):
            later(3 + i * 0.05, slow_body, port, slow)
        for i in range(20):
            later(5 + i * 0.2, huge_length, port, huge)
        hups = 0
        for at in range(5, DURATION - 2, 5):
            later(at, os.kill, server.pid, signal.SIGHUP)
            hups += 1

        links = os.path.join(data, "links.csv")
        with open(links) as f:
            good_links = f.read()

        def corrupt_reload():
            with open(links, "a") as f:
                f.write("bad-link,NOWHERE,ALSO-NOWHERE,rail,rail1435,-5,,,,,,,,,,,,,,,,\n")
            reload_post(port, bad_reload)
            with open(links, "w") as f:
                f.write(good_links)

        later(25, corrupt_reload)
        for i in range(20):
            later(40, reload_post, port, reloads)

        wrk.wait()
        for t in threads:
            t.join(timeout=HEADER_TIMEOUT + 30)
        elapsed = time.monotonic() - start
        out.seek(0)
        report = out.read()
        os.unlink(out.name)
        alive = server.poll() is None
        rss_after = rss_kb(server.pid) if alive else 0

        def field(name):
            for line in report.splitlines():
                if line.startswith("RESULT") and f"{name}=" in line:
                    return line.split(f"{name}=")[1].split()[0]
            return "?"

        errors = sum(int(field(k)) for k in ["errors_connect", "errors_read", "errors_write", "errors_status", "errors_timeout"]
                     if field(k) != "?")
        print(f"legitimate load: {field('requests')} requests in {field('duration_s')} s ({field('rps')} req/s), "
              f"p50 {field('p50_ms')} ms, p99 {field('p99_ms')} ms, max {field('max_ms')} ms, {errors} failed or non-2xx")
        if field("requests") == "?" or errors:
            fail(f"legitimate load: {errors} failed or non-2xx requests\n{report}")

        codes = [s for s, _ in slow]
        print(f"slow bodies: {len(slow)} sent, statuses {sorted(set(map(str, codes)))}, "
              f"answered after {min((t for _, t in slow), default=0):.1f}-{max((t for _, t in slow), default=0):.1f} s")
        for s, _ in slow:
            if s != 408:
                fail(f"slow body answered {s}, not 408")
            else:
                deliberate_status(s, "slow body")
        print(f"huge Content-Length: {len(huge)} sent, statuses {sorted(set(map(str, (s for s, _ in huge))))}, "
              f"slowest answer {max((t for _, t in huge), default=0) * 1000:.0f} ms")
        for s, t in huge:
            if s != 413 or t > 1.0:
                fail(f"huge Content-Length answered {s} after {t:.2f} s (want 413 at once)")
        for s, body in bad_reload:
            print(f"corrupt reload: {s} {body[:160]!r}")
            if s != 422 or b"InvalidDataset" not in body:
                fail(f"corrupt reload answered {s}: {body[:200]!r}")
        ok_reloads = sum(1 for s, _ in reloads if s == 200)
        print(f"concurrent reloads: {ok_reloads} of {len(reloads)} answered 200")
        for s, body in reloads:
            if s != 200:
                deliberate_status(s or 599, "concurrent reload")
                fail(f"concurrent reload answered {s}: {body[:200]!r}")
        log.flush()
        with open(os.path.join(data, "server.log")) as f:
            server_log = f.read()
        reloaded = server_log.count("dataset reloaded")
        print(f"reloads by SIGHUP or POST that took effect: {reloaded} (SIGHUPs sent: {hups}, POSTs: {len(reloads) + len(bad_reload)})")
        if reloaded < hups:
            fail(f"only {reloaded} reloads took effect for {hups} SIGHUPs")
        if not alive:
            fail(f"the server died (exit {server.returncode})")
        else:
            status = request(port, "GET", "/health")[0]
            if status != 200:
                fail(f"/health after the run: {status}")
            if request(port, "GET", "/v1/route?from=CNXIA&to=DEDUI")[0] != 200:
                fail("a route after the run failed")
        print(f"server RSS: {rss_before / 1024:.0f} MB before, {rss_after / 1024:.0f} MB after; run took {elapsed:.0f} s")
    finally:
        if server.poll() is None:
            server.terminate()
            try:
                server.wait(10)
            except subprocess.TimeoutExpired:
                server.kill()
        shutil.rmtree(data, ignore_errors=True)
    if failures:
        print(f"FAILED: {len(failures)} problem(s)", file=sys.stderr)
        return 1
    print("fault test passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
