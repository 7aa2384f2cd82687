#!/usr/bin/env python3
"""Integration tests of vc-endpoint with the real vc-scheduler and vc-bridge
on loopback, test sources and no display (docs/benchmarks.md "Room agent"
uses the same harness for its join-latency figure).

  1. the agent joins within 1 s of the start, leaves at the end, and the
     scheduler's attendance duration is within ±1 s of the journal's;
  2. an agent killed (SIGKILL) mid-meeting and restarted rejoins, and the
     journal shows two segments (the first closed "crash");
  3. with the scheduler stopped before the start (and the agent restarted
     meanwhile), the agent joins with the token cached on disk, and the events
     arrive once each after the scheduler is back;
  4. an early end pulls the room out at once (reason "ended") and the bridge
     room is closed;
  5. the bridge dies mid-meeting and comes back on the same port: the agent
     records the drop and rejoins (two segments);
  6. the meeting's media process (vc-endpoint media-session) is killed
     mid-meeting: the agent records the drop and rejoins with a new one; no
     media process outlives its meeting, its agent's stop or its agent's
     SIGKILL.

Readiness is never guessed with sleep: each process prints its URL or a log
line that the test waits for, with a deadline. Usage:
  test_endpoint_integration.py VC_SCHEDULER VC_BRIDGE VC_ENDPOINT [TEST...]
"""
import datetime
import json
import os
import queue
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import unittest
import urllib.request

SECRET = "integration-secret-integration-secret"
BIN = {}


def utc(ts):
    return datetime.datetime.fromtimestamp(ts, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def process_alive(pid):
    """True while @pid runs (a zombie waiting for its reaper does not)."""
    try:
        with open("/proc/%d/stat" % pid) as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def wait_gone(pid, timeout=5.0):
    """Polls /proc until @pid has ended; fails after @timeout seconds."""
    deadline = time.monotonic() + timeout
    while process_alive(pid):
        if time.monotonic() > deadline:
            raise AssertionError("process %d still running after %s s" % (pid, timeout))
        time.sleep(0.05)  # polling a condition with a deadline, not a readiness guess


def parse_utc(text):
    return datetime.datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(
        tzinfo=datetime.timezone.utc).timestamp()


# GStreamer 1.22.0's rtpsession iterates a hash table that another thread
# may change (fixed upstream in 1.22.3): GLib says so with this critical and
# the process goes on. Under G_DEBUG=fatal-criticals it would abort the
# bridge or a media process mid-test, so the children run without it and
# every other critical they print fails the test (Stack.tearDown).
KNOWN_UPSTREAM_CRITICAL = "g_hash_table_foreach: assertion 'version == hash_table->version'"


class Proc:
    """A child process whose stdout and stderr lines are queued as they come."""

    def __init__(self, name, argv, env=None):
        self.name = name
        self.lines = queue.Queue()
        self.log = []
        env = dict(os.environ if env is None else env)
        env["G_DEBUG"] = ",".join(f for f in env.get("G_DEBUG", "").split(",")
                                  if f and f != "fatal-criticals")
        self.p = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                  text=True, env=env)
        for stream in (self.p.stdout, self.p.stderr):
            threading.Thread(target=self._pump, args=(stream,), daemon=True).start()

    def _pump(self, stream):
        for line in stream:
            self.lines.put(line.rstrip("\n"))

    def wait_for(self, pattern, timeout=30, from_start=False):
        """Waits for a line matching @pattern after the last matched line
        (or anywhere in the output with @from_start: stdout and stderr
        interleave). Returns (match, wall-clock time the line was read)."""
        deadline = time.monotonic() + timeout
        rx = re.compile(pattern)
        if from_start:
            for line, at in self.log:
                m = rx.search(line)
                if m:
                    return m, at
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError("%s: no line matching %r within %s s; log:\n%s"
                                     % (self.name, pattern, timeout, "\n".join(l for l, _ in self.log[-80:])))
            try:
                line = self.lines.get(timeout=left)
            except queue.Empty:
                continue
            now = time.time()
            self.log.append((line, now))
            m = rx.search(line)
            if m:
                return m, now

    def tail(self, n=80):
        """The last @n lines read so far, including those no wait_for consumed."""
        while True:
            try:
                self.log.append((self.lines.get_nowait(), time.time()))
            except queue.Empty:
                break
        return "\n".join(l for l, _ in self.log[-n:])

    def stop(self, sig=signal.SIGTERM):
        if self.p.poll() is None:
            self.p.send_signal(sig)
            try:
                self.p.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.p.kill()
                self.p.wait()
        return self.p.returncode


class Stack(unittest.TestCase):
    ROOM_OPEN_LEAD = 30  # [bridge] room_open_lead_seconds of the scheduler

    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="vc-ep-it-")
        # Runs after tearDown has stopped the children.
        self.addCleanup(shutil.rmtree, self.dir, ignore_errors=True)
        self.procs = []
        self.db = os.path.join(self.dir, "sched.db")
        with open(os.path.join(self.dir, "bridge.ini"), "w") as f:
            f.write("[bridge]\nlisten = 127.0.0.1:0\nsecret = %s\n[ice]\naddresses = 127.0.0.1\n"
                    "[video]\nwidth = 320\nheight = 180\nfps = 15\n" % SECRET)
        self.bridge = self.spawn("bridge", [BIN["bridge"], "--config",
                                            os.path.join(self.dir, "bridge.ini")])
        m, _ = self.bridge.wait_for(r"listening on (http://\S+)")
        self.bridge_url = m.group(1)
        self.sched_ini = os.path.join(self.dir, "sched.ini")
        with open(self.sched_ini, "w") as f:
            f.write("[server]\nlisten = 127.0.0.1:0\n[database]\npath = %s\n"
                    "[bridge]\nurl = %s\nsecret = %s\nroom_open_lead_seconds = %d\n"
                    "join_token_margin_seconds = 600\n"
                    % (self.db, self.bridge_url, SECRET, self.ROOM_OPEN_LEAD))
        self.admin = self.token("--role", "admin", "--name", "it-admin")
        self.ep_token = self.token("--role", "endpoint", "--endpoint", "ubnd-tinh", "--name", "it")
        self.start_scheduler("127.0.0.1:0")

    def tearDown(self):
        for p in reversed(self.procs):
            p.stop(signal.SIGKILL)
        criticals = []
        for p in self.procs:
            p.p.wait()
            p.tail()  # what no wait_for read yet
            criticals += ["%s: %s" % (p.name, line) for line, _ in p.log
                          if "CRITICAL" in line and KNOWN_UPSTREAM_CRITICAL not in line]
        self.assertEqual(criticals, [], "criticals from the children")

    def spawn(self, name, argv, env=None):
        p = Proc(name, argv, env)
        self.procs.append(p)
        return p

    def token(self, *args):
        out = subprocess.run([BIN["scheduler"], "--config", self.sched_ini, "--db", self.db,
                              "token", "create"] + list(args),
                             check=True, capture_output=True, text=True).stdout
        return out.strip().splitlines()[-1]

    def start_scheduler(self, listen):
        self.sched = self.spawn("scheduler", [BIN["scheduler"], "--config", self.sched_ini,
                                              "--listen", listen])
        m, _ = self.sched.wait_for(r"listening on (http://\S+)")
        self.sched_url = m.group(1)

    def api(self, method, path, body=None):
        req = urllib.request.Request(self.sched_url + path, method=method,
                                     data=json.dumps(body).encode() if body else None,
                                     headers={"Authorization": "Bearer " + self.admin,
                                              "Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=10) as r:
            return json.loads(r.read())

    def book(self, start, end, title="Giao ban thử nghiệm"):
        m = self.api("POST", "/api/v1/meetings", {
            "title": title, "unit": "ubnd-tinh", "chair": "ubnd-tinh",
            "endpoints": ["ubnd-tinh", "tinh-uy"], "start": utc(start), "end": utc(end)})
        return m["id"]

    def start_agent(self, name="agent"):
        ini = os.path.join(self.dir, "endpoint.ini")
        with open(ini, "w") as f:
            f.write("[scheduler]\nurl = %s\n[endpoint]\ncode = ubnd-tinh\ntoken = %s\n"
                    "[journal]\npath = %s\n[media]\noutput = none\nwidth = 320\nheight = 180\n"
                    "fps = 15\n[ice]\naddresses = 127.0.0.1\n[timing]\nreadiness_minutes = 0\n"
                    % (self.sched_url, self.ep_token, os.path.join(self.dir, "journal.db")))
        env = dict(os.environ, G_MESSAGES_DEBUG="vc-endpoint")
        agent = self.spawn(name, [BIN["endpoint"], "--config", ini], env)
        agent.wait_for(r"^vc-endpoint ubnd-tinh started$")
        self.ini = ini
        return agent

    def report(self):
        out = subprocess.run([BIN["endpoint"], "--config", self.ini, "report", "--json"],
                             check=True, capture_output=True, text=True).stdout
        return json.loads(out)

    def attendance(self, meeting):
        a = self.api("GET", "/api/v1/meetings/%d/attendance" % meeting)
        return [e for e in a["endpoints"] if e["endpoint"] == "ubnd-tinh"][0]

    def scheduler_events(self, meeting):
        with sqlite3.connect(self.db) as c:
            rows = c.execute("SELECT type, reason FROM attendance_events WHERE meeting_id = ?"
                             " AND endpoint = 'ubnd-tinh'", (meeting,)).fetchall()
        # Events of the same second have no order: compare as sorted lists.
        return sorted(rows, key=lambda e: (e[0], e[1] or ""))

    # ---- 1 ----
    def test_join_leave_attendance(self):
        start = int(time.time()) + 4
        end = start + 8
        meeting = self.book(start, end)
        agent = self.start_agent()
        agent.wait_for(r"schedule received: 1 meeting")
        m, _ = agent.wait_for(r"meeting %d: media process (\d+) started" % meeting)
        media_pid = int(m.group(1))
        _, joined_at = agent.wait_for(r"state joining -> in_meeting \(meeting %d\)" % meeting)
        m, _ = agent.wait_for(r"first frame from the bridge (-?\d+) ms after the scheduled start"
                              r" \((\d+) ms after joining began\)", from_start=True)
        print("FIGURE join: first decoded frame %s ms after the scheduled start, %s ms after"
              " joining began" % (m.group(1), m.group(2)), file=sys.stderr)
        self.assertLessEqual(joined_at - start, 1.0, "joined more than 1 s after the start")
        # The scheduler's room list reflects the agent (online, in_meeting).
        deadline = time.monotonic() + 10
        while True:
            rooms = self.api("GET", "/api/v1/endpoints")
            rooms = rooms.get("endpoints", rooms) if isinstance(rooms, dict) else rooms
            room = [r for r in rooms if r["code"] == "ubnd-tinh"][0]
            if room["online"] and room["in_meeting"]:
                break
            self.assertLess(time.monotonic(), deadline, "GET /api/v1/endpoints: %r" % room)
            time.sleep(0.1)  # polling a condition with a deadline, not a readiness guess
        _, left_at = agent.wait_for(r"leaving meeting %d \(ended\)" % meeting, timeout=20)
        self.assertGreaterEqual(left_at, end)
        self.assertLess(left_at - end, 1.0)
        wait_gone(media_pid)  # left: the media process ends with its meeting
        agent.wait_for(r"outbox: 1 event\(s\) sent")
        self.assertEqual(agent.stop(), 0)

        journal = [r for r in self.report()["meetings"] if r["meeting"] == meeting][0]
        att = self.attendance(meeting)
        events = self.scheduler_events(meeting)
        self.assertEqual(att["status"], "present",
                         "attendance %r, events %r, journal %r; agent log:\n%s"
                         % (att, events, journal, agent.tail()))
        self.assertLessEqual(abs(att["seconds"] - journal["duration_seconds"]), 1.0,
                             "scheduler %s s vs journal %s s" % (att["seconds"],
                                                                  journal["duration_seconds"]))
        self.assertLessEqual(parse_utc(att["joined_at"]) - start, 1)
        self.assertEqual(events, [("joined", None), ("left", "ended")])

    # ---- 2 ----
    def test_killed_agent_rejoins(self):
        start = int(time.time()) + 3
        end = start + 14
        meeting = self.book(start, end)
        agent = self.start_agent()
        m, _ = agent.wait_for(r"meeting %d: media process (\d+) started" % meeting)
        media_pid = int(m.group(1))
        agent.wait_for(r"state joining -> in_meeting \(meeting %d\)" % meeting)
        agent.wait_for(r"outbox: 1 event\(s\) sent")  # the joined event
        # Crash once a heartbeat has been written.
        agent.wait_for(r"heartbeat: meeting %d" % meeting)
        agent.stop(signal.SIGKILL)
        killed_at = time.time()
        wait_gone(media_pid)  # PR_SET_PDEATHSIG: the media dies with its agent

        agent2 = self.start_agent("agent-restarted")
        agent2.wait_for(r"segment left open by a crash closed at its last heartbeat",
                        from_start=True)
        _, rejoined = agent2.wait_for(r"state joining -> in_meeting \(meeting %d\)" % meeting)
        self.assertLess(rejoined - killed_at, 5.0)
        agent2.wait_for(r"leaving meeting %d \(ended\)" % meeting, timeout=30)
        agent2.wait_for(r"outbox: \d+ event\(s\) sent")
        self.assertEqual(agent2.stop(), 0)

        journal = [r for r in self.report()["meetings"] if r["meeting"] == meeting][0]
        self.assertEqual(journal["segments"], 2)
        self.assertEqual(self.scheduler_events(meeting),
                         [("joined", None), ("joined", None), ("left", "crash"),
                          ("left", "ended")])

    # ---- 6 ----
    def test_media_process_killed(self):
        start = int(time.time()) + 2
        end = start + 14
        meeting = self.book(start, end)
        agent = self.start_agent()
        m, _ = agent.wait_for(r"meeting %d: media process (\d+) started" % meeting)
        first_pid = int(m.group(1))
        agent.wait_for(r"state joining -> in_meeting \(meeting %d\)" % meeting)
        agent.wait_for(r"outbox: 1 event\(s\) sent")  # the joined event
        os.kill(first_pid, signal.SIGKILL)
        killed_at = time.time()
        agent.wait_for(r"meeting %d: connection dropped \(media process killed by signal 9"
                       % meeting, timeout=10)
        m, _ = agent.wait_for(r"meeting %d: media process (\d+) started" % meeting)
        second_pid = int(m.group(1))
        self.assertNotEqual(second_pid, first_pid)
        _, rejoined = agent.wait_for(r"state joining -> in_meeting \(meeting %d\)" % meeting,
                                     timeout=15)
        print("FIGURE media process killed: back in the meeting %.1f s later"
              % (rejoined - killed_at), file=sys.stderr)
        self.assertLess(rejoined - killed_at, 5.0)
        agent.wait_for(r"leaving meeting %d \(ended\)" % meeting, timeout=30)
        agent.wait_for(r"outbox: \d+ event\(s\) sent")
        wait_gone(second_pid)
        self.assertEqual(agent.stop(), 0)

        journal = [r for r in self.report()["meetings"] if r["meeting"] == meeting][0]
        self.assertEqual(journal["segments"], 2)
        self.assertEqual(self.scheduler_events(meeting),
                         [("joined", None), ("joined", None), ("left", "dropped"),
                          ("left", "ended")])

    def test_stop_ends_media_process(self):
        start = int(time.time()) + 2
        meeting = self.book(start, start + 60)
        agent = self.start_agent()
        m, _ = agent.wait_for(r"meeting %d: media process (\d+) started" % meeting)
        media_pid = int(m.group(1))
        agent.wait_for(r"state joining -> in_meeting \(meeting %d\)" % meeting)
        # SIGTERM mid-meeting: the agent leaves (journal "left"), and its
        # media process has ended by the time the agent exits.
        self.assertEqual(agent.stop(), 0)
        self.assertFalse(process_alive(media_pid), "media process outlived its agent's stop")
        self.assertEqual(self.report()["meetings"][0]["segments"], 1)
        self.assertEqual(self.scheduler_events(meeting), [("joined", None), ("left", "left")])

    # ---- drop ----
    def test_bridge_restart_rejoin(self):
        start = int(time.time()) + 2
        meeting = self.book(start, start + 60)
        agent = self.start_agent()
        agent.wait_for(r"state joining -> in_meeting \(meeting %d\)" % meeting)
        port = self.bridge_url.rsplit(":", 1)[1]
        killed = time.time()
        self.bridge.stop(signal.SIGKILL)
        _, dropped = agent.wait_for(r"meeting %d: connection dropped" % meeting, timeout=20)
        print("FIGURE drop detected %.1f s after the bridge died" % (dropped - killed),
              file=sys.stderr)
        self.bridge = self.spawn("bridge-restarted", [
            BIN["bridge"], "--config", os.path.join(self.dir, "bridge.ini"),
            "--listen", "127.0.0.1:" + port])
        self.bridge.wait_for(r"listening on")
        back = time.time()
        # The scheduler re-opens the room (its poll sees 404), the agent rejoins.
        _, rejoined = agent.wait_for(r"state joining -> in_meeting \(meeting %d\)" % meeting,
                                     timeout=20)
        print("FIGURE rejoin: %.1f s after the bridge was back" % (rejoined - back),
              file=sys.stderr)
        # Bound from the settings: the agent's next attempt is at most
        # retry_max_seconds (5) away, the scheduler polls the room every 2 s,
        # and a join takes about 1 s on a loaded machine (3.4-4.3 s measured
        # on a quiet one, 5.7 s under a load average of 30).
        self.assertLess(rejoined - back, 5.0 + 2.0 + 1.0)
        self.assertEqual(agent.stop(), 0)
        journal = [r for r in self.report()["meetings"] if r["meeting"] == meeting][0]
        self.assertEqual(journal["segments"], 2)

    # ---- early end ----
    def test_early_end(self):
        start = int(time.time()) + 3
        meeting = self.book(start, start + 120)
        agent = self.start_agent()
        agent.wait_for(r"state joining -> in_meeting \(meeting %d\)" % meeting)
        ended_at = time.time()
        self.api("POST", "/api/v1/meetings/%d/end" % meeting, {})
        _, left_at = agent.wait_for(r"leaving meeting %d \(ended\)" % meeting, timeout=10)
        self.assertLess(left_at - ended_at, 2.0)
        agent.wait_for(r"outbox: \d+ event\(s\) sent", timeout=10)
        self.sched.wait_for(r"bridge: room %d closed" % meeting, timeout=10, from_start=True)
        self.assertEqual(agent.stop(), 0)
        self.assertEqual(self.scheduler_events(meeting), [("joined", None), ("left", "ended")])

    # ---- 3 ----
    def test_scheduler_down(self):
        start = int(time.time()) + 5
        end = start + 6
        meeting = self.book(start, end)
        self.sched.wait_for(r"bridge: room %d open" % meeting)
        port = self.sched_url.rsplit(":", 1)[1]
        agent = self.start_agent()
        agent.wait_for(r"schedule received: 1 meeting")
        # The scheduler goes away before the start, and the agent restarts
        # meanwhile: it joins with the token cached on disk and keeps its events.
        self.sched.stop()
        self.assertEqual(agent.stop(), 0)
        agent = self.start_agent("agent-restarted")
        agent.wait_for(r"cached schedule loaded: 1 meeting", from_start=True)
        agent.wait_for(r"state joining -> in_meeting \(meeting %d\)" % meeting)
        agent.wait_for(r"leaving meeting %d \(ended\)" % meeting, timeout=20)
        agent.wait_for(r"outbox: cannot send attendance", from_start=True)
        self.assertEqual(self.scheduler_events(meeting), [])
        # Back on the same port: the events arrive, once each.
        self.start_scheduler("127.0.0.1:" + port)
        agent.wait_for(r"outbox: 2 event\(s\) sent: 2 accepted, 0 duplicates", timeout=20)
        self.assertEqual(agent.stop(), 0)
        self.assertEqual(self.scheduler_events(meeting), [("joined", None), ("left", "ended")])
        journal = [r for r in self.report()["meetings"] if r["meeting"] == meeting][0]
        att = self.attendance(meeting)
        self.assertLessEqual(abs(att["seconds"] - journal["duration_seconds"]), 1.0)


if __name__ == "__main__":
    BIN["scheduler"], BIN["bridge"], BIN["endpoint"] = sys.argv[1:4]
    unittest.main(argv=[sys.argv[0]] + sys.argv[4:], verbosity=2)
