#!/usr/bin/env python3
"""`attune serve` in a real browser: Playwright (PyPI) driving Debian's chromium, launched by its
path (nothing downloads a browser). The supervisor's path: open the week, open a therapist, mark a
finding discussed with an action, reload, see it, see it in `attune review --ledger`; and the
attacks: a forged POST from another page, an XSS payload in a client id.

    python3 Tests/Browser/serve_browser_test.py "$(swift build --show-bin-path)/attune" [SCREENSHOT_DIR]
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

from playwright.sync_api import expect, sync_playwright

CHROMIUM = os.environ.get("ATTUNE_CHROMIUM", "/usr/bin/chromium")
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
XSS_CLIENT = "<script>window.__xss=1</script>"


def start(attune, records, ledger):
    """Starts `attune serve` on a free loopback port and returns the process and its address."""
    process = subprocess.Popen([attune, "serve", records, "--ledger", ledger, "--port", "0", "--by", "A. Supervisor"],
                               stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
    deadline = time.time() + 120
    while time.time() < deadline:
        line = process.stderr.readline()
        if not line:
            raise SystemExit("attune serve ended before listening (status %s)" % process.poll())
        found = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
        if found:
            return process, "http://127.0.0.1:%s" % found.group(1)
    process.kill()
    raise SystemExit("attune serve did not say where it listens within 120 s")


def main():
    attune = os.path.abspath(sys.argv[1])
    shots = sys.argv[2] if len(sys.argv) > 2 else tempfile.mkdtemp(prefix="attune-serve-shots-")
    os.makedirs(shots, exist_ok=True)
    work = tempfile.mkdtemp(prefix="attune-serve-browser-")
    records = os.path.join(work, "records")
    shutil.copytree(os.path.join(ROOT, "Examples", "clinic"), records)
    with open(os.path.join(records, "hostile.yaml"), "w") as out:
        for day, ors in ((23, 30), (24, 12), (25, 10)):
            out.write('- {client: "%s", therapist: T-09, date: 2026-11-%d, attendance: attended, '
                      'measures: {srs: 39, ors: %d, phq9: 20, phq9_i9: 2}}\n' % (XSS_CLIENT, day, ors))
    ledger = os.path.join(work, "supervision.db")
    server, base = start(attune, records, ledger)
    failures = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])
            page = browser.new_page(viewport={"width": 1100, "height": 900})
            dialogs = []
            page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
            console_errors = []
            page.on("console", lambda message: console_errors.append(message.text) if message.type == "error" else None)

            # The supervisor's path.
            page.goto(base + "/")
            page.get_by_label("Week").select_option("2026-W48")
            page.get_by_role("button", name="Show week").click()
            expect(page.get_by_role("heading", name="At a glance")).to_be_visible()
            page.screenshot(path=os.path.join(shots, "1-week.png"), full_page=True)
            page.get_by_role("link", name="T-02", exact=True).first.click()
            expect(page.get_by_role("heading", name="Therapist T-02")).to_be_visible()
            page.screenshot(path=os.path.join(shots, "2-therapist.png"), full_page=True)
            page.get_by_role("link", name=re.compile("Open this finding")).first.click()
            finding_id = re.search(r"id=([0-9a-z]{10})", page.url).group(1)
            page.get_by_label("Note: what was said or agreed").fill("Talked it through in supervision")
            page.get_by_label("Action agreed (optional)").fill("Ask about the planned break")
            page.get_by_label("Action due (optional)").fill("2026-12-07")
            page.get_by_role("button", name="Mark discussed").click()
            expect(page.get_by_role("status")).to_have_text("Decision recorded in the ledger.")
            page.reload()
            expect(page.locator(".ledger-state .state-discussed").first).to_be_visible()
            expect(page.get_by_text("Ask about the planned break").first).to_be_visible()
            page.screenshot(path=os.path.join(shots, "3-finding-discussed.png"), full_page=True)

            review = subprocess.run([attune, "review", records, "--week", "2026-W48", "--ledger", ledger, "--format", "json"],
                                    capture_output=True, text=True)
            found = [f for f in json.loads(review.stdout)["findings"] if f["id"] == finding_id]
            state = found[0].get("ledger", {}) if found else {}
            if state.get("state") != "discussed" or "Talked it through" not in json.dumps(state):
                failures.append("attune review --ledger does not show %s as discussed: %r" % (finding_id, state))

            # A forged POST: another page (here an opaque origin) submits the decision form.
            attacker = browser.new_page()
            attacker.set_content('<form id="f" method="post" action="%s/decide">'
                                 '<input name="finding" value="%s"><input name="kind" value="dismiss">'
                                 '<input name="by" value="Mallory"><input name="reason" value="forged"></form>' % (base, finding_id))
            with attacker.expect_navigation():
                attacker.eval_on_selector("#f", "form => form.submit()")
            if "Error 403" not in attacker.content():
                failures.append("a forged POST was not refused with 403")
            attacker.screenshot(path=os.path.join(shots, "4-forged-post.png"))
            # The same without the page's token, from the supervisor's own browser session.
            forged = page.request.post(base + "/decide", form={"finding": finding_id, "kind": "dismiss", "by": "M", "reason": "x"})
            if forged.status != 403:
                failures.append("a POST without the CSRF token got %d, not 403" % forged.status)
            export = json.loads(subprocess.run([attune, "ledger", "export", "--ledger", ledger], capture_output=True, text=True).stdout)
            if [d["kind"] for d in export["decisions"]] != ["discuss"]:
                failures.append("the ledger holds other decisions than the one discussion: %r" % export["decisions"])

            # An XSS payload in a client id is shown as text and never runs.
            page.goto(base + "/therapist?id=T-09&week=2026-W48")
            expect(page.get_by_role("heading", name="Client " + XSS_CLIENT).first).to_be_visible()
            page.screenshot(path=os.path.join(shots, "5-xss-as-text.png"), full_page=True)
            if page.evaluate("() => window.__xss") is not None:
                failures.append("the client id's script ran")
            if dialogs:
                failures.append("a dialog opened: %r" % dialogs)
            page.goto(base + "/print?week=2026-W48")
            page.screenshot(path=os.path.join(shots, "6-print.png"))
            if console_errors:
                failures.append("console errors (a CSP violation?): %r" % console_errors)
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(work)
    print("screenshots in", shots)
    if failures:
        for failure in failures:
            print("FAIL:", failure)
        raise SystemExit(1)
    print("browser test passed: supervisor's path, forged POST refused, XSS shown as text")


if __name__ == "__main__":
    main()
