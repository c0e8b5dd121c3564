"""bench/benchlib.py -- what the bench scripts share: timing one child, and
the codec floor they report ratios against."""
import os, subprocess, sys, time


def run(cmd, label="bench"):
    """wall s, cpu s, peak RSS KiB of one child (exits when it fails)"""
    w0 = time.monotonic()
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL)
    _, status, ru = os.wait4(p.pid, 0)
    if status != 0:
        sys.exit("%s: %s failed" % (label, " ".join(cmd)))
    return time.monotonic() - w0, ru.ru_utime + ru.ru_stime, ru.ru_maxrss


def floor_cpu(path):
    """CPU seconds of the codec floor: zstd -dc IN | zstd -3 -c > /dev/null"""
    t0 = os.times()
    subprocess.run("zstd -dc '%s' | zstd -3 -c > /dev/null" % path, shell=True, check=True)
    t1 = os.times()
    return (t1.children_user - t0.children_user) + (t1.children_system - t0.children_system)
