#!/usr/bin/env python3
"""Meetings happen without the scheduler (issue #20): the real vc-scheduler,
vc-bridge and two vc-endpoint agents on loopback, with the harness of
test_endpoint_integration.py.

  1. the scheduler is stopped (SIGSTOP) before the room-open lead of a
     booked meeting: at the start both rooms join (their join tokens open
     the room on the bridge), both speak and get their own mix-minus
     encoding, the chair's controls work; when the scheduler continues it
     adopts the room (full participant list, names), the monitor shows it,
     its controls reach the bridge, attendance is complete and the
     statistics count the meeting as held;
  2. the same with the scheduler killed (SIGKILL) and started again;
  3. the scheduler is killed and the bridge restarts mid-meeting: the rooms
     come back by themselves, and the scheduler adopts them when it returns;
  4. a guest's join link cannot open the room: the media process ends with
     "the bridge has no room for this meeting yet" (the room agent's
     waiting reason) until the scheduler has opened it, then connects.

Readiness is waited for on printed lines or polled state with deadlines,
never guessed with sleep. Usage:
  test_scheduler_away.py VC_SCHEDULER VC_BRIDGE VC_ENDPOINT [TEST...]
"""
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
import unittest
import urllib.error
import urllib.parse
import urllib.request

import test_endpoint_integration as base
from test_endpoint_integration import BIN, SECRET, utc

ROOMS = ("ubnd-tinh", "tinh-uy")  # ubnd-tinh chairs (Stack.book)
NO_ROOM = "the bridge has no room for this meeting yet"  # EP_AGENT_REASON_NO_ROOM


def poll(check, timeout, what):
    """Calls @check until it returns something true; fails after @timeout s
    with @what and the last value."""
    deadline = time.monotonic() + timeout
    last = None
    while True:
        last = check()
        if last:
            return last
        if time.monotonic() > deadline:
            raise AssertionError("%s: not within %s s (last: %r)" % (what, timeout, last))
        time.sleep(0.2)  # polling a condition with a deadline, not a readiness guess


class SchedulerAway(base.Stack):
    ROOM_OPEN_LEAD = 3  # so that the scheduler can be away before it

    def start_room_agent(self, code):
        token = self.token("--role", "endpoint", "--endpoint", code, "--name", "it-" + code)
        ini = os.path.join(self.dir, code + ".ini")
        with open(ini, "w") as f:
            f.write("[scheduler]\nurl = %s\n[endpoint]\ncode = %s\ntoken = %s\n"
                    "[journal]\npath = %s\n[media]\noutput = none\nwidth = 320\nheight = 180\n"
                    "fps = 15\n[ice]\naddresses = 127.0.0.1\n[timing]\nreadiness_minutes = 0\n"
                    % (self.sched_url, code, token, os.path.join(self.dir, code + "-journal.db")))
        env = dict(os.environ, G_MESSAGES_DEBUG="vc-endpoint")
        agent = self.spawn("agent-" + code, [BIN["endpoint"], "--config", ini], env)
        agent.wait_for(r"^vc-endpoint %s started$" % code)
        return agent

    def bridge_call(self, method, path, body=None):
        req = urllib.request.Request(self.bridge_url + path, method=method,
                                     data=json.dumps(body).encode() if body else None,
                                     headers={"Authorization": "Bearer " + SECRET,
                                              "Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=10) as r:
                text = r.read()
                return r.status, json.loads(text) if text else None
        except urllib.error.HTTPError as e:
            return e.code, None

    def bridge_room(self, meeting):
        status, room = self.bridge_call("GET", "/rooms/%d" % meeting)
        return room if status == 200 else None

    def room_connected(self, meeting, *extra):
        """The bridge room once every room is connected (and each @extra
        member of every participant is true), else None."""
        room = self.bridge_room(meeting)
        if room is None:
            return None
        people = {p["endpoint"]: p for p in room["participants"]}
        if all(code in people and people[code]["connected"]
               and all(people[code][k] for k in extra) for code in ROOMS):
            return room
        return None

    def monitor_room(self, meeting):
        for m in self.api("GET", "/api/v1/monitor")["meetings"]:
            if m["id"] == meeting and m["room"] is not None:
                return m["room"]
        return None

    def roster_names(self):
        rooms = self.api("GET", "/api/v1/endpoints")
        rooms = rooms.get("endpoints", rooms) if isinstance(rooms, dict) else rooms
        return {r["code"]: r["name"] for r in rooms}

    def events(self, meeting, code):
        with sqlite3.connect(self.db) as c:
            rows = c.execute("SELECT type, reason FROM attendance_events WHERE meeting_id = ?"
                             " AND endpoint = ?", (meeting, code)).fetchall()
        return sorted(rows, key=lambda e: (e[0], e[1] or ""))

    def go_away(self, how):
        """The scheduler goes away: 'stop' (SIGSTOP) or 'kill' (SIGKILL)."""
        if how == "stop":
            os.kill(self.sched.p.pid, signal.SIGSTOP)
        else:
            self.sched.stop(signal.SIGKILL)

    def come_back(self, how, port):
        if how == "stop":
            os.kill(self.sched.p.pid, signal.SIGCONT)
        else:
            self.start_scheduler("127.0.0.1:" + port)

    def book_and_leave(self, length, how):
        """Books a meeting, starts both agents, and sends the scheduler away
        before the room-open lead. Returns (meeting, start, end, agents, port)."""
        start = int(time.time()) + 15
        end = start + length
        meeting = self.book(start, end)
        agents = {code: self.start_room_agent(code) for code in ROOMS}
        for a in agents.values():
            a.wait_for(r"schedule received: 1 meeting", timeout=20, from_start=True)
        self.assertGreater(start - self.ROOM_OPEN_LEAD - time.time(), 1.0,
                           "the agents took too long: no time left before the room-open lead")
        port = self.sched_url.rsplit(":", 1)[1]
        self.go_away(how)
        self.assertIsNone(self.bridge_room(meeting), "the room was open before the lead")
        return meeting, start, end, agents, port

    def check_adopted_and_held(self, meeting, start, end, agents, segments):
        """After the scheduler is back: adoption, monitor, controls through the
        scheduler, attendance, statistics."""
        names = self.roster_names()
        room = poll(lambda: (lambda r: r if r and r["opened_by"] == "scheduler" else None)(
            self.bridge_room(meeting)), 20, "the scheduler adopts the room")
        self.assertEqual(room["chair"], "ubnd-tinh")
        for p in room["participants"]:
            self.assertEqual(p["name"], names[p["endpoint"]])
        mon = poll(lambda: self.monitor_room(meeting), 20, "the room in the monitor")
        self.assertEqual(sorted(p["endpoint"] for p in mon["participants"]), sorted(ROOMS))
        self.api("POST", "/api/v1/monitor/meetings/%d/control" % meeting,
                 {"action": "mute", "endpoint": "tinh-uy"})
        poll(lambda: [p for p in self.bridge_room(meeting)["participants"]
                      if p["endpoint"] == "tinh-uy" and p["muted"]], 10,
             "mute through the scheduler's monitor")
        for a in agents.values():
            a.wait_for(r"leaving meeting %d \(ended\)" % meeting,
                       timeout=max(end - time.time(), 0) + 20)

        def complete():
            att = self.api("GET", "/api/v1/meetings/%d/attendance" % meeting)
            rows = {e["endpoint"]: e for e in att["endpoints"]}
            done = all(rows[c]["left_at"] is not None
                       and len(self.events(meeting, c)) == 2 * segments for c in ROOMS)
            return att if done else None
        att = poll(complete, 30, "every room's attendance reaches the scheduler")
        self.assertTrue(att["held"])
        self.assertEqual(att["present_count"], 2)
        for e in att["endpoints"]:
            self.assertLessEqual(base.parse_utc(e["joined_at"]) - start, 2, e)
            self.assertEqual(len(e["segments"]), segments, e)
        day = time.strftime("%Y-%m-%d", time.gmtime(start + 7 * 3600))
        stats = self.api("GET", "/api/v1/stats?group_by=none&from=%s&to=%s" % (day, day))
        self.assertEqual(stats["totals"]["meetings_held"], 1, stats)
        self.sched.wait_for(r"bridge: room %d closed" % meeting, timeout=20, from_start=True)

    def scheduler_away_meeting(self, how):
        meeting, start, end, agents, port = self.book_and_leave(20, how)
        for a in agents.values():
            a.wait_for(r"state joining -> in_meeting \(meeting %d\)" % meeting,
                       timeout=start - time.time() + 20)
        self.assertLessEqual(time.time() - start, 3.0, "joined late")
        # the rooms' tokens opened the room; both speak (test tones) and each
        # gets its own mix-minus encoding
        room = poll(lambda: self.room_connected(meeting, "speaking", "personal_mix"), 15,
                    "both rooms connected, speaking, each with its own mix-minus")
        self.assertEqual(room["opened_by"], "token")
        self.assertEqual(room["chair"], "ubnd-tinh")
        # the chair's controls (what the monitor forwards) work without the scheduler
        status, room = self.bridge_call("POST", "/rooms/%d/control" % meeting,
                                        {"action": "layout", "layout": "chair"})
        self.assertEqual(status, 200)
        self.assertEqual(room["layout"], "chair")
        status, room = self.bridge_call("POST", "/rooms/%d/control" % meeting,
                                        {"action": "mute", "endpoint": "ubnd-tinh"})
        self.assertEqual(status, 200)
        poll(lambda: [p for p in self.bridge_room(meeting)["participants"]
                      if p["endpoint"] == "ubnd-tinh" and p["muted"] and not p["speaking"]], 10,
             "the chair's mute silences ubnd-tinh")
        self.come_back(how, port)
        self.check_adopted_and_held(meeting, start, end, agents, segments=1)
        for code in ROOMS:
            self.assertEqual(self.events(meeting, code), [("joined", None), ("left", "ended")])

    def test_away_stopped(self):
        self.scheduler_away_meeting("stop")

    def test_away_killed(self):
        self.scheduler_away_meeting("kill")

    def test_away_bridge_restart(self):
        meeting, start, end, agents, port = self.book_and_leave(45, "kill")
        for a in agents.values():
            a.wait_for(r"state joining -> in_meeting \(meeting %d\)" % meeting,
                       timeout=start - time.time() + 20)
        poll(lambda: self.room_connected(meeting), 15, "both rooms connected")
        bridge_port = self.bridge_url.rsplit(":", 1)[1]
        self.bridge.stop(signal.SIGKILL)
        for a in agents.values():
            a.wait_for(r"meeting %d: connection dropped" % meeting, timeout=20)
        self.bridge = self.spawn("bridge-restarted", [
            BIN["bridge"], "--config", os.path.join(self.dir, "bridge.ini"),
            "--listen", "127.0.0.1:" + bridge_port])
        self.bridge.wait_for(r"listening on")
        back = time.time()
        for a in agents.values():
            a.wait_for(r"state joining -> in_meeting \(meeting %d\)" % meeting, timeout=20)
        room = poll(lambda: self.room_connected(meeting, "speaking"), 15,
                    "the room back on the restarted bridge, without the scheduler")
        print("FIGURE rooms back %.1f s after the bridge restarted" % (time.time() - back),
              file=sys.stderr)
        self.assertEqual(room["opened_by"], "token")
        self.bridge.wait_for(r"room %d: opened by the join token" % meeting, from_start=True)
        self.come_back("kill", port)
        self.check_adopted_and_held(meeting, start, end, agents, segments=2)
        for code in ROOMS:
            self.assertEqual(self.events(meeting, code),
                             [("joined", None), ("joined", None), ("left", "dropped"),
                              ("left", "ended")])

    def test_guest_waits_for_room(self):
        start = int(time.time()) + 12
        meeting = self.book(start, start + 30)
        link = self.api("POST", "/api/v1/monitor/meetings/%d/join-links" % meeting,
                        {"name": "Khách mời"})
        token = urllib.parse.parse_qs(link["url"].split("?", 1)[1])["token"][0]
        signal_url = "ws%s/rooms/%d/signal" % (self.bridge_url[4:], meeting)
        join = json.dumps({"type": "join", "meeting": meeting, "start": start,
                           "signal_url": signal_url, "token": token}) + "\n"
        ini = os.path.join(self.dir, "guest.ini")
        with open(ini, "w") as f:
            f.write("[scheduler]\nurl = %s\n[endpoint]\ncode = guest\ntoken = unused\n"
                    "[journal]\npath = %s\n[media]\noutput = none\nwidth = 320\nheight = 180\n"
                    "fps = 15\n[ice]\naddresses = 127.0.0.1\n"
                    % (self.sched_url, os.path.join(self.dir, "guest-journal.db")))

        def run(until, timeout=30):
            """A media session for the link (stdin kept open: closing it is
            "leave"), read until a line of type @until; its lines."""
            lines = []
            with subprocess.Popen([BIN["endpoint"], "--config", ini, "media-session"],
                                  stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                  text=True) as proc:
                proc.stdin.write(join)
                proc.stdin.flush()
                deadline = time.monotonic() + timeout
                while time.monotonic() < deadline:
                    line = proc.stdout.readline()  # a session writes stats every 10 s
                    if not line:
                        break
                    lines.append(json.loads(line))
                    if lines[-1]["type"] == until:
                        break
                proc.stdin.close()  # leave
                proc.wait(timeout=10)
            return lines

        # before the scheduler opens the room: refused, and the reason says why
        self.assertIsNone(self.bridge_room(meeting))
        lines = run("ended")
        ended = [l for l in lines if l["type"] == "ended"]
        self.assertEqual(len(ended), 1, lines)
        self.assertTrue(ended[0]["reason"].startswith(NO_ROOM), ended[0])
        self.assertIn("404", ended[0]["reason"])
        self.assertIsNone(self.bridge_room(meeting), "a guest's token opened a room")
        # once the scheduler has opened it, the same link connects
        self.sched.wait_for(r"bridge: room %d open" % meeting, timeout=start - time.time() + 10)
        lines = run("connected")
        self.assertEqual(lines[-1]["type"], "connected", lines)
        guests = [p for p in self.bridge_room(meeting)["participants"] if p["guest"]]
        self.assertEqual(len(guests), 1, guests)

def load_tests(loader, tests, pattern):
    """Only this file's tests, not the harness's own (base.Stack)."""
    names = sorted(n for n in vars(SchedulerAway) if n.startswith("test_"))
    return unittest.TestSuite(SchedulerAway(n) for n in names)


if __name__ == "__main__":
    BIN["scheduler"], BIN["bridge"], BIN["endpoint"] = sys.argv[1:4]
    unittest.main(argv=[sys.argv[0]] + sys.argv[4:], verbosity=2)
