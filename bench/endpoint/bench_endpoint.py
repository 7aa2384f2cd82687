#!/usr/bin/env python3
"""Room-agent figures for docs/benchmarks.md ("## Room agent").

  bench_endpoint.py VC_SCHEDULER VC_BRIDGE VC_ENDPOINT [--meetings N] [--idle-seconds S]

Starts a real vc-bridge and vc-scheduler on loopback and one vc-endpoint
(test sources, output none), then:
  1. join latency: N back-to-back meetings; for each, the time from the
     scheduled start to the first decoded frame from the bridge, and from the
     moment the agent began joining to that frame (the agent connects
     [timing] connect_ahead_seconds before the start);
  2. idle cost: with no meeting due, the agent's CPU (utime+stime from
     /proc over S seconds, as % of one core) and resident memory (VmRSS,
     VmHWM), fresh and after the meetings, and that no media process is left;
  3. the memory of each meeting's media process (vc-endpoint media-session),
     sampled every 250 ms while it runs: its last VmRSS and its VmHWM.
Readiness is read from the processes' output, never guessed.
"""
import argparse
import os
import re
import statistics
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tests",
                                "endpoint"))
import test_endpoint_integration as it  # noqa: E402


def proc_cpu_seconds(pid):
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    return (int(fields[11]) + int(fields[12])) / ticks


def idle_cpu_percent(pid, seconds):
    """CPU of @pid, % of one core, over a measurement window of @seconds
    (the window itself is the measurement, so it is waited out)."""
    c0, t0 = proc_cpu_seconds(pid), time.monotonic()
    time.sleep(seconds)
    c1, t1 = proc_cpu_seconds(pid), time.monotonic()
    return 100.0 * (c1 - c0) / (t1 - t0), t1 - t0


def proc_mem_kb(pid, key):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1])
    return 0


def children(pid):
    """Pids of @pid's child processes."""
    out = []
    for task in os.listdir("/proc/%d/task" % pid):
        try:
            with open("/proc/%d/task/%s/children" % (pid, task)) as f:
                out += [int(c) for c in f.read().split()]
        except FileNotFoundError:
            pass
    return out


class MediaSampler(threading.Thread):
    """Samples the agent's child processes every 250 ms: a measurement loop,
    not a readiness guess. mem[pid] = (last VmRSS kB, VmHWM kB)."""

    def __init__(self, agent_pid):
        super().__init__(daemon=True)
        self.agent_pid, self.mem, self.stop = agent_pid, {}, threading.Event()

    def run(self):
        while not self.stop.wait(0.25):
            for pid in children(self.agent_pid):
                try:
                    rss, hwm = proc_mem_kb(pid, "VmRSS"), proc_mem_kb(pid, "VmHWM")
                except (FileNotFoundError, ProcessLookupError):
                    continue
                if rss:
                    self.mem[pid] = (rss, hwm)


class Bench(it.Stack):
    meetings = 5
    idle_seconds = 30

    def runTest(self):
        agent = self.start_agent()
        agent.wait_for(r"schedule received: 0 meeting", from_start=True)

        # 2. idle first (nothing due), so the figure is not inflated by
        # pipelines still being torn down.
        pid = agent.p.pid
        cpu, span = idle_cpu_percent(pid, self.idle_seconds)
        rss, hwm = proc_mem_kb(pid, "VmRSS"), proc_mem_kb(pid, "VmHWM")
        print("FIGURE idle: cpu %.2f %% of one core over %.0f s, VmRSS %.1f MB, VmHWM %.1f MB"
              % (cpu, span, rss / 1024, hwm / 1024))

        # 1. join latency
        base = int(time.time()) + 8
        ids = [self.book(base + 8 * i, base + 8 * i + 5, "Bench %d" % i)
               for i in range(self.meetings)]
        rel, conn, rss_after = [], [], []
        sampler = MediaSampler(pid)
        sampler.start()
        for mid in ids:
            m, _ = agent.wait_for(r"meeting %d: first frame from the bridge (-?\d+) ms after the "
                                  r"scheduled start \((\d+) ms after joining began\)" % mid,
                                  timeout=60)
            rel.append(int(m.group(1)))
            conn.append(int(m.group(2)))
            agent.wait_for(r"leaving meeting %d \(ended\)" % mid, timeout=30)
            rss_after.append(proc_mem_kb(pid, "VmRSS") / 1024)
        print("FIGURE join: %d meetings; first decoded frame relative to the scheduled start: "
              "median %d ms, max %d ms; joining began -> first decoded frame: median %d ms, "
              "max %d ms" % (len(ids), statistics.median(rel), max(rel),
                             statistics.median(conn), max(conn)))
        sampler.stop.set()
        sampler.join()
        print("FIGURE VmRSS after each meeting (MB): %s"
              % ", ".join("%.1f" % r for r in rss_after))
        hwm = [h / 1024 for _, h in sampler.mem.values()]
        last = [r / 1024 for r, _ in sampler.mem.values()]
        print("FIGURE media processes: %d; VmHWM median %.1f MB, max %.1f MB; last VmRSS "
              "median %.1f MB" % (len(hwm), statistics.median(hwm), max(hwm),
                                  statistics.median(last)))
        # Idle again, after meetings (GStreamer's plugins stay loaded).
        cpu, span = idle_cpu_percent(pid, self.idle_seconds)
        left = children(pid)
        print("FIGURE idle after meetings: cpu %.2f %% of one core over %.0f s, VmRSS %.1f MB, "
              "VmHWM %.1f MB; media processes left: %d"
              % (cpu, span, proc_mem_kb(pid, "VmRSS") / 1024,
                 proc_mem_kb(pid, "VmHWM") / 1024, len(left)))
        self.assertEqual(left, [], "a media process outlived its meeting")
        agent.stop()


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("scheduler")
    ap.add_argument("bridge")
    ap.add_argument("endpoint")
    ap.add_argument("--meetings", type=int, default=5)
    ap.add_argument("--idle-seconds", type=int, default=30)
    a = ap.parse_args()
    it.BIN.update(scheduler=a.scheduler, bridge=a.bridge, endpoint=a.endpoint)
    Bench.meetings, Bench.idle_seconds = a.meetings, a.idle_seconds
    import unittest
    r = unittest.TextTestRunner(verbosity=1).run(Bench())
    sys.exit(0 if r.wasSuccessful() else 1)
