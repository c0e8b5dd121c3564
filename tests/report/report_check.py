#!/usr/bin/python3
"""report_check.py DIR SCREENSHOT.png -- checks DIR/report.html, as headless
Chromium renders it, against DIR/summary.json.

Chromium (Debian's `chromium`) is driven over the DevTools protocol on a pipe
(--remote-debugging-pipe: it reads NUL-terminated JSON messages on fd 3 and
writes them on fd 4), with the network refused three ways: inside a network
namespace of its own when `unshare -rn` works here, every host name resolving
to nothing, and every connection sent to a proxy on the discard port of
loopback. Every request the page makes is recorded as well, and anything but
the report's own file:// URL and data:/about: URLs fails the check.

What is read comes from the rendered page (innerText, bounding boxes), at
1280 px and at 420 px wide:
  totals   [data-total=docs_in|docs_kept|docs_rejected|bytes_in|bytes_out] are
           visible and show summary.json's number (digits only compared)
  reasons  #reasons has a visible tr[data-reason="STAGE:REASON"] for every key
           of rejected_by_reason, its .count shows the count, and its
           a[href^="#rule-"] leads to an element of the page with text
  charts   at least one svg.chart; each is visible, role="img", has an
           accessible name, and draws at least one .bar (unless .empty)
  layout   at 420 px the page does not scroll sideways
  console  no console error, no uncaught exception
The full-page screenshots go to SCREENSHOT and SCREENSHOT-narrow.

Exit: 0 when every check passes, 1 when one fails, 77 without chromium.
"""
import base64
import fcntl
import json
import os
import pathlib
import queue
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]
# no host name resolves; every connection (loopback included) goes to a proxy on the discard port
NETWORK_OFF = ["--host-resolver-rules=MAP * ~NOTFOUND", "--proxy-server=127.0.0.1:9", "--proxy-bypass-list=<-loopback>"]
TOTALS = ["docs_in", "docs_kept", "docs_rejected", "bytes_in", "bytes_out"]
WIDE, NARROW, HEIGHT = 1280, 420, 900
MAX_SHOT_HEIGHT = 16384
TIMEOUT = float(os.environ.get("REPORT_CHECK_TIMEOUT", "60"))


class Failed(Exception):
    pass


class Chromium:
    """One headless Chromium, spoken to over --remote-debugging-pipe."""

    def __init__(self, argv, log):
        to_child_r, self.to_child = os.pipe()
        self.from_child, from_child_w = os.pipe()
        # the child's ends go to fds 3 and 4; move them out of the way first
        r = fcntl.fcntl(to_child_r, fcntl.F_DUPFD_CLOEXEC, 10)
        w = fcntl.fcntl(from_child_w, fcntl.F_DUPFD_CLOEXEC, 10)
        os.close(to_child_r)
        os.close(from_child_w)

        def fds():
            os.dup2(r, 3)
            os.dup2(w, 4)
        self.proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=log, stderr=log,
                                     pass_fds=(3, 4), preexec_fn=fds, start_new_session=True)
        os.close(r)
        os.close(w)
        self.inbox = queue.Queue()
        self.next_id = 0
        self.handlers = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        buf = b""
        while True:
            try:
                chunk = os.read(self.from_child, 1 << 16)
            except OSError:
                chunk = b""
            if not chunk:
                self.inbox.put(None)
                return
            buf += chunk
            *msgs, buf = buf.split(b"\0")
            for m in msgs:
                self.inbox.put(json.loads(m))

    def post(self, method, params=None, session=None):
        """Sends a command without waiting for its answer; returns its id."""
        self.next_id += 1
        msg = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = session
        os.write(self.to_child, json.dumps(msg).encode() + b"\0")
        return self.next_id

    def _next(self, deadline):
        try:
            msg = self.inbox.get(timeout=max(0.0, deadline - time.monotonic()))
        except queue.Empty:
            return "timeout"
        if msg is None:
            raise Failed(f"chromium closed the DevTools pipe (exit status {self.proc.poll()})")
        if "method" in msg:
            for h in self.handlers:
                h(msg)
        return msg

    def call(self, method, params=None, session=None, timeout=TIMEOUT):
        want = self.post(method, params, session)
        deadline = time.monotonic() + timeout
        while True:
            msg = self._next(deadline)
            if msg == "timeout":
                raise Failed(f"no answer to {method} within {timeout:.0f} s")
            if msg.get("id") == want:
                if "error" in msg:
                    raise Failed(f"{method}: {msg['error'].get('message')}")
                return msg.get("result", {})

    def wait_event(self, method, session=None, timeout=TIMEOUT):
        deadline = time.monotonic() + timeout
        while True:
            msg = self._next(deadline)
            if msg == "timeout":
                raise Failed(f"no {method} within {timeout:.0f} s")
            if msg.get("method") == method and (session is None or msg.get("sessionId") == session):
                return msg["params"]

    def drain(self, seconds):
        """Handles the events that come in the next SECONDS."""
        deadline = time.monotonic() + seconds
        while self._next(deadline) != "timeout":
            pass

    def close(self):
        try:
            self.post("Browser.close")
            self.proc.wait(timeout=10)
        except (OSError, subprocess.TimeoutExpired):
            pass
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, 9)
            self.proc.wait()
        os.close(self.to_child)


def find_chromium():
    c = os.environ.get("CHROMIUM") or shutil.which("chromium")
    return c if c and os.access(c, os.X_OK) else None


def netns_prefix():
    """`unshare -rn` when it works here: Chromium then has no network interface but a loopback that is down."""
    for prefix in (["unshare", "-rn"], ["unshare", "-n"]):
        try:
            if subprocess.run(prefix + ["true"], capture_output=True, timeout=10).returncode == 0:
                return prefix
        except (OSError, subprocess.TimeoutExpired):
            pass
    return []


# what the page shows, read from the rendered DOM
PROBE = r"""
((TOTALS, REASONS) => {
  const vis = el => {
    if (!el) return null;
    const r = el.getBoundingClientRect();
    const seen = r.width > 0 && r.height > 0 && r.right + scrollX > 0 && r.bottom + scrollY > 0 &&
      el.checkVisibility({opacityProperty: true, visibilityProperty: true});
    return {w: Math.round(r.width), h: Math.round(r.height), seen};
  };
  const text = el => (el.innerText !== undefined ? el.innerText : el.textContent) || '';
  const out = {totals: {}, reasons: {}, extra_rows: [], charts: [],
               scroll_width: document.documentElement.scrollWidth, inner_width: innerWidth};
  for (const k of TOTALS)
    out.totals[k] = [...document.querySelectorAll(`[data-total="${CSS.escape(k)}"]`)]
      .map(el => ({text: text(el), box: vis(el)}));
  const table = document.getElementById('reasons');
  out.table = table ? vis(table) : null;
  for (const key of REASONS) {
    const tr = table && table.querySelector(`tr[data-reason="${CSS.escape(key)}"]`);
    if (!tr) { out.reasons[key] = null; continue; }
    const c = tr.querySelector('.count'), a = tr.querySelector('a[href^="#rule-"]');
    let target = null;
    if (a) {
      const id = decodeURIComponent(a.getAttribute('href').slice(1)), t = document.getElementById(id);
      target = {id, exists: !!t, text: t ? (text(t).trim() || t.textContent.trim()).slice(0, 60) : ''};
    }
    out.reasons[key] = {box: vis(tr), count: c ? text(c) : null, count_box: vis(c),
                        link: a ? {text: text(a).trim(), box: vis(a)} : null, target};
  }
  if (table)
    for (const tr of table.querySelectorAll('tr[data-reason]'))
      if (!REASONS.includes(tr.dataset.reason)) out.extra_rows.push(tr.dataset.reason);
  for (const svg of document.querySelectorAll('svg.chart')) {
    let name = (svg.getAttribute('aria-label') || '').trim();
    const by = svg.getAttribute('aria-labelledby');
    if (!name && by)
      name = by.split(/\s+/).map(id => (document.getElementById(id) || {}).textContent || '').join(' ').trim();
    const title = svg.querySelector(':scope > title');
    if (!name && title) name = title.textContent.trim();
    const bars = [...svg.querySelectorAll('.bar')].map(vis);
    out.charts.push({box: vis(svg), role: svg.getAttribute('role'), name: name.slice(0, 60),
                     empty: svg.classList.contains('empty'), bars: bars.length,
                     drawn: bars.filter(b => b.seen).length});
  }
  return out;
})
"""


def digits(s):
    return "".join(ch for ch in s if ch.isdigit())


def check_page(p, summary, width):
    """[(ok, name, message)] for one probe of the page at WIDTH."""
    res = []
    at = f"@{width}px"
    # totals
    bad, shown = [], []
    for k in TOTALS:
        els, want = p["totals"][k], summary[k]
        if not els:
            bad.append(f'no [data-total="{k}"]')
            continue
        if not any(e["box"]["seen"] for e in els):
            bad.append(f"{k} is not visible")
        for e in els:
            if digits(e["text"]) != str(want):
                bad.append(f'{k} shows "{e["text"].strip()}", summary.json has {want}')
        shown.append(f'{k} {els[0]["text"].strip()}')
    res.append((not bad, f"totals {at}", "; ".join(bad) if bad else ", ".join(shown)))
    # reasons
    reasons = summary["rejected_by_reason"]
    bad = []
    if p["table"] is None:
        bad.append("no #reasons table")
    elif reasons and not p["table"]["seen"]:
        bad.append("#reasons is not visible")
    if p["table"] is not None:
        for key, n in sorted(reasons.items()):
            r = p["reasons"][key]
            if r is None:
                bad.append(f"no row for {key}")
                continue
            if not r["box"]["seen"]:
                bad.append(f"row {key} is not visible")
            if r["count"] is None:
                bad.append(f"row {key} has no .count")
            elif digits(r["count"]) != str(n) or not r["count_box"]["seen"]:
                bad.append(f'row {key} shows count "{r["count"].strip()}", summary.json has {n}')
            if r["link"] is None:
                bad.append(f'row {key} has no link to its rule (a[href^="#rule-"])')
            elif not r["target"]["exists"]:
                bad.append(f'row {key} links to #{r["target"]["id"]}, which is not in the page')
            elif not r["target"]["text"]:
                bad.append(f'row {key} links to #{r["target"]["id"]}, which has no text')
        for key in p["extra_rows"]:
            bad.append(f"row {key} is not in summary.json")
    res.append((not bad, f"reasons {at}", "; ".join(bad[:8]) + (f" (+{len(bad) - 8} more)" if len(bad) > 8 else "")
                if bad else f"{len(reasons)} rows, counts match summary.json, each links to its rule"))
    # charts
    bad = []
    if not p["charts"]:
        bad.append("no svg.chart")
    for i, c in enumerate(p["charts"], 1):
        who = f'chart {i}' + (f' "{c["name"]}"' if c["name"] else "")
        if not c["box"]["seen"]:
            bad.append(f"{who} is not visible ({c['box']['w']}x{c['box']['h']})")
        if c["role"] != "img":
            bad.append(f'{who} has role="{c["role"]}", not "img"')
        if not c["name"]:
            bad.append(f"{who} has no accessible name (aria-label or <title>)")
        if not c["empty"] and c["drawn"] == 0:
            bad.append(f"{who} draws no .bar ({c['bars']} .bar elements, none with a size)")
    drawn = sum(c["drawn"] for c in p["charts"])
    empty = sum(c["empty"] for c in p["charts"])
    res.append((not bad, f"charts {at}", "; ".join(bad) if bad else
                f"{len(p['charts'])} rendered ({drawn} bars drawn" + (f", {empty} empty" if empty else "") + ")"))
    if width == NARROW:
        ok = p["scroll_width"] <= p["inner_width"] + 1
        res.append((ok, f"layout {at}", f"scrollWidth {p['scroll_width']} "
                    + ("<=" if ok else "> ") + f" innerWidth {p['inner_width']}"
                    + ("" if ok else ": the page scrolls sideways")))
    return res


def main():
    args = sys.argv[1:]
    if len(args) != 2:
        sys.exit("usage: report_check.py DIR SCREENSHOT.png")
    d, shot = pathlib.Path(args[0]).resolve(), pathlib.Path(args[1])
    narrow_shot = shot.with_name(shot.stem + "-narrow" + shot.suffix)
    chromium = find_chromium()
    if not chromium:
        print("SKIP: chromium not installed (apt-get install chromium)")
        return 77
    report = d / "report.html"
    try:
        summary = json.loads((d / "summary.json").read_text())
    except (OSError, ValueError) as e:
        print(f"FAIL summary.json: {e}")
        return 1
    if not report.is_file():
        print(f"FAIL report: no report.html beside summary.json in {d}")
        return 1
    url = report.as_uri()
    t0 = time.monotonic()
    prefix = netns_prefix()
    profile = tempfile.mkdtemp(prefix="tamis-report-chromium.")
    log = tempfile.TemporaryFile()
    argv = prefix + [chromium] + FLAGS + [f"--user-data-dir={profile}"] + NETWORK_OFF + ["--remote-debugging-pipe"]
    results, requests, errors = [], {}, []

    def same_file(u):
        strip = lambda x: urllib.parse.unquote(urllib.parse.urldefrag(x)[0])
        return strip(u) == strip(url)

    def on_event(m):
        meth, p, s = m["method"], m["params"], m.get("sessionId")
        if meth == "Network.requestWillBeSent":
            requests.setdefault((s, p["requestId"]), {"url": p["request"]["url"], "outcome": "pending"})
            if p.get("redirectResponse"):  # a redirect is a new request under the same id
                requests[(s, p["requestId"] + "+" + p["request"]["url"])] = {"url": p["request"]["url"],
                                                                            "outcome": "redirected to"}
        elif meth == "Network.responseReceived" and (s, p["requestId"]) in requests:
            requests[(s, p["requestId"])]["outcome"] = f"FETCHED (status {p['response'].get('status')})"
        elif meth == "Network.loadingFailed" and (s, p["requestId"]) in requests:
            r = requests[(s, p["requestId"])]
            if r["outcome"] == "pending":
                r["outcome"] = f"blocked ({p.get('errorText')})"
        elif meth == "Runtime.consoleAPICalled" and p["type"] in ("error", "assert"):
            errors.append("console." + p["type"] + ": " + " ".join(
                str(a.get("value", a.get("description", ""))) for a in p.get("args", [])))
        elif meth == "Runtime.exceptionThrown":
            e = p["exceptionDetails"]
            errors.append("uncaught: " + (e.get("exception", {}).get("description") or e.get("text", "")).split("\n")[0])
        elif meth == "Log.entryAdded" and p["entry"]["level"] == "error":
            errors.append(f"{p['entry']['source']}: {p['entry']['text']}")
        elif meth == "Target.attachedToTarget":  # frames in other processes, workers: watch them too
            child = p["sessionId"]
            for c in ("Network.enable", "Runtime.enable", "Log.enable"):
                b.post(c, session=child)
            b.post("Target.setAutoAttach", {"autoAttach": True, "waitForDebuggerOnStart": True, "flatten": True},
                   session=child)
            b.post("Runtime.runIfWaitingForDebugger", session=child)

    b = None
    try:
        b = Chromium(argv, log)
        b.handlers.append(on_event)
        version = b.call("Browser.getVersion")["product"]
        target = b.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        s = b.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        for c in ("Network.enable", "Page.enable", "Runtime.enable", "Log.enable"):
            b.call(c, session=s)
        b.call("Network.setCacheDisabled", {"cacheDisabled": True}, session=s)
        b.call("Target.setAutoAttach", {"autoAttach": True, "waitForDebuggerOnStart": True, "flatten": True}, session=s)

        def viewport(width, height):
            b.call("Emulation.setDeviceMetricsOverride",
                   {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False}, session=s)

        def settle():  # fonts loaded, two frames painted, late requests seen
            b.call("Runtime.evaluate", {"expression": "document.fonts.ready.then(() => new Promise(r => "
                                        "requestAnimationFrame(() => requestAnimationFrame(() => r(1)))))",
                                        "awaitPromise": True}, session=s)
            b.drain(0.3)

        def probe():
            expr = f"({PROBE})({json.dumps(TOTALS)}, {json.dumps(sorted(summary['rejected_by_reason']))})"
            r = b.call("Runtime.evaluate", {"expression": expr, "returnByValue": True}, session=s)
            if "exceptionDetails" in r:
                raise Failed("probing the page failed: " + r["exceptionDetails"].get("text", ""))
            return r["result"]["value"]

        def screenshot(width, path):
            h = b.call("Page.getLayoutMetrics", session=s)["cssContentSize"]["height"]
            h = min(MAX_SHOT_HEIGHT, max(HEIGHT, int(h + 0.999)))
            viewport(width, h)
            settle()
            png = base64.b64decode(b.call("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True},
                                          session=s)["data"])
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(png)
            viewport(width, HEIGHT)
            return f"{path} ({width}x{h})"

        viewport(WIDE, HEIGHT)
        nav = b.call("Page.navigate", {"url": url}, session=s)
        if nav.get("errorText"):
            raise Failed(f"cannot open {url}: {nav['errorText']}")
        b.wait_event("Page.loadEventFired", session=s)
        settle()
        net = "its own network namespace (" + " ".join(prefix) + ")" if prefix else "no network namespace (unshare -rn fails here)"
        print(f"report: {url}, in {version}, {net}, host names unresolvable, connections to 127.0.0.1:9")
        results += check_page(probe(), summary, WIDE)
        shots = [screenshot(WIDE, shot)]
        viewport(NARROW, HEIGHT)
        settle()
        results += check_page(probe(), summary, NARROW)
        shots.append(screenshot(NARROW, narrow_shot))
        b.drain(0.2)
        foreign = [r for r in requests.values()
                   if not (same_file(r["url"]) or r["url"].startswith(("data:", "about:")))]
        results.append((not foreign, "network", "; ".join(f'{r["url"][:100]} {r["outcome"]}' for r in foreign)
                        if foreign else f"{len(requests)} request{'s' * (len(requests) != 1)}, none but the report's own file"))
        results.append((not errors, "console", "; ".join(e[:160] for e in errors[:5]) if errors else "no errors"))
        results.append((True, "screenshots", ", ".join(shots)))
    except Failed as e:
        log.seek(0)
        tail = log.read().decode(errors="replace").strip().splitlines()[-5:]
        results.append((False, "chromium", str(e) + "".join("\n  " + line for line in tail)))
    finally:
        if b:
            b.close()
        log.close()
        shutil.rmtree(profile, ignore_errors=True)
    for ok, name, msg in results:
        print(f"{'ok  ' if ok else 'FAIL'} {name}: {msg}")
    failed = sum(not ok for ok, _, _ in results)
    print(f"report check: {'passed' if not failed else f'{failed} failed'} in {time.monotonic() - t0:.1f} s")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
