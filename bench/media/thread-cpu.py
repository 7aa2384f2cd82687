#!/usr/bin/env python3
"""thread-cpu.py — where a process spends its CPU, by thread name, when perf
is not at hand: samples /proc/PID/task/*/stat (utime + stime) twice, SECONDS
apart, and prints each thread name's share in % of one core, threads of the
same name (GStreamer's "queue12:src", libnice's, Janus' per-handle loops)
summed, largest first.

    bench/media/thread-cpu.py PID [SECONDS]

Used for the Janus comparison's profile (docs/benchmarks.md)."""
import os
import re
import sys
import time


def sample(pid):
    ticks = {}
    for tid in os.listdir("/proc/%d/task" % pid):
        try:
            with open("/proc/%d/task/%s/stat" % (pid, tid)) as f:
                text = f.read()
        except OSError:
            continue  # the thread ended
        name = text[text.index("(") + 1:text.rindex(")")]
        fields = text[text.rindex(")") + 2:].split()
        ticks[tid] = (name, int(fields[11]) + int(fields[12]))
    return ticks


def main():
    if len(sys.argv) < 2:
        sys.exit("usage: thread-cpu.py PID [SECONDS]")
    pid, seconds = int(sys.argv[1]), float(sys.argv[2]) if len(sys.argv) > 2 else 20
    hz = os.sysconf("SC_CLK_TCK")
    before = sample(pid)
    time.sleep(seconds)  # the measurement window itself, not a readiness wait
    after = sample(pid)
    by_name, threads = {}, {}
    for tid, (name, t1) in after.items():
        t0 = before.get(tid, (name, 0))[1] if tid in before else 0
        # a name family: digits dropped ("queue12:src" -> "queue:src")
        family = re.sub(r"\d+", "", name)
        by_name[family] = by_name.get(family, 0) + (t1 - t0)
        threads[family] = threads.get(family, 0) + 1
    total = sum(by_name.values())
    print("%-28s %8s %8s" % ("thread (digits dropped)", "threads", "% core"))
    for family, t in sorted(by_name.items(), key=lambda kv: -kv[1]):
        if t > 0:
            print("%-28s %8d %8.1f" % (family, threads[family], 100.0 * t / hz / seconds))
    print("%-28s %8d %8.1f" % ("total", len(after), 100.0 * total / hz / seconds))


main()
