"""What every browser test of the staff console shares: the real open311d binary serving a
fresh SQLite file on an ephemeral loopback port (with console users and a client key made by
its own commands), one headless Chromium driven through chromedriver, and small helpers that
read the public API back as JSON.

A test file is run by CTest as `python3 FILE --binary PATH --out DIR`: one server and one
browser for the whole file (a Chromium start costs a second or two on a loaded machine).
Chromium, chromedriver and selenium are installed by scripts/install-deps.sh; when one is
missing the test fails, it never skips.
"""

import argparse
import http.server
import json
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import threading
import unittest
import uuid
import zlib
import urllib.error
import urllib.parse
import urllib.request

from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import Select, WebDriverWait

CHROMIUM = os.environ.get("OPEN311_CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("OPEN311_CHROMEDRIVER", "/usr/bin/chromedriver")
PASSWORD = "browser-test-password"
ADMIN = "maija.moderaattori"
STAFF = "liisa@example.org"
SERVICE = "171"  # in the demo catalogue
OPTIONS = None  # the command line, set by main()
# axe-core, pinned in package-lock.json beside this file and installed by `npm ci` there
# (scripts/install-deps.sh).
AXE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "node_modules", "axe-core", "axe.min.js")
AXE_RUN = """
var done = arguments[arguments.length - 1];
axe.run(document, {resultTypes: ['violations']}).then(function (result) {
    done(result.violations.map(function (v) {
        return {id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 5).map(function (n) { return n.target.join(' '); })};
    }));
}, function (error) { done({error: String(error)}); });
"""


def _arguments(argv):
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", required=True, help="the open311d executable")
    parser.add_argument("--out", required=True, help="folder for screenshots")
    return parser.parse_known_args(argv)


def png(width, height, pixel):
    """A PNG image (8-bit RGB) whose pixel (x, y) is pixel(x, y) -> (r, g, b)."""

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(
        b"\0" + bytes(c for x in range(width) for c in pixel(x, y)) for y in range(height)
    )
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def photo():
    """A small "photo" for uploads: sky, a street and a dark hole in it."""

    def pixel(x, y):
        if y < 70:
            return (150, 190, 230)
        if (x - 160) ** 2 + ((y - 150) * 2) ** 2 < 1600:
            return (40, 35, 30)
        return (110, 110, 115) if (x // 20 + y // 20) % 2 else (120, 120, 124)

    return png(320, 200, pixel)


class TileServer:
    """Map tiles on loopback (a light grid), so the request page's map loads nothing from
    outside and looks like a map in the screenshots."""

    TILE = png(256, 256, lambda x, y: (200, 205, 210) if x % 64 == 0 or y % 64 == 0 else (236, 238, 232))

    def __init__(self):
        tile = self.TILE

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 (the standard library's name)
                self.send_response(200)
                self.send_header("Content-Type", "image/png")
                self.send_header("Content-Length", str(len(tile)))
                self.end_headers()
                self.wfile.write(tile)

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = "http://127.0.0.1:%d/{z}/{x}/{y}.png" % self.httpd.server_address[1]
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()


def multipart(fields, files):
    """A multipart/form-data body: (content type, bytes)."""
    boundary = uuid.uuid4().hex
    body = b""
    for name, value in fields.items():
        body += (
            "--%s\r\nContent-Disposition: form-data; name=\"%s\"\r\n\r\n%s\r\n"
            % (boundary, name, value)
        ).encode()
    for name, filename, data in files:
        body += (
            "--%s\r\nContent-Disposition: form-data; name=\"%s\"; filename=\"%s\"\r\n"
            "Content-Type: application/octet-stream\r\n\r\n" % (boundary, name, filename)
        ).encode()
        body += data + b"\r\n"
    body += ("--%s--\r\n" % boundary).encode()
    return "multipart/form-data; boundary=" + boundary, body


class Server:
    """`open311d serve --demo` on a fresh database in `folder`, stopped by stop()."""

    def __init__(self, binary, folder, staff_user=False):
        self.binary = binary
        self.folder = folder
        self.db = os.path.join(folder, "console.db")
        self.log = []
        self._command("users", "create", "--name", ADMIN, "--role", "admin", password=PASSWORD)
        if staff_user:
            self._command("users", "create", "--name", STAFF, "--role", "staff", password=PASSWORD)
        created = self._command("keys", "create", "--name", "browser-app", "--role", "client")
        self.client_key = created.strip().splitlines()[-1]
        self.tiles = TileServer()
        environment = dict(os.environ, OPEN311_CONSOLE_TILE_URL=self.tiles.url)
        self.process = subprocess.Popen(
            [binary, "serve", "--demo", "--listen", "127.0.0.1:0", "--db", self.db],
            cwd=folder,
            env=environment,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.port = self._wait_for_port()
        self.base = "http://127.0.0.1:%d" % self.port
        self.api = self.base + "/open311/v2"
        drain = threading.Thread(target=self._drain, daemon=True)
        drain.start()

    def _command(self, *args, password=None):
        done = subprocess.run(
            [self.binary, *args, "--db", self.db],
            cwd=self.folder,
            input=(password + "\n") if password else "",
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        if done.returncode != 0:
            raise RuntimeError("open311d %s failed: %s" % (" ".join(args), done.stderr))
        return done.stdout

    def _wait_for_port(self):
        # The server prints its address once it listens; a server that dies first ends stderr.
        for line in self.process.stderr:
            self.log.append(line)
            found = re.search(r"listening on https?://[^ ]+:(\d+)/", line)
            if found:
                return int(found.group(1))
        raise RuntimeError("open311d did not start:\n" + "".join(self.log))

    def _drain(self):
        for line in self.process.stderr:
            self.log.append(line)

    def stop(self):
        self.tiles.stop()
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        return self.process.returncode

    # The public API, as a citizen's app speaks it.

    def submit(self, description, photo_png=None, **extra):
        """POSTs a request through the public API (with a photo when given); returns its
        service_request_id."""
        fields = {
            "api_key": self.client_key,
            "service_code": SERVICE,
            "lat": "60.1699",
            "long": "24.9384",
            "description": description,
            "email": "asukas@example.org",
            "first_name": "Aino",
            "can_be_published": "true",
        }
        fields.update(extra)
        files = [("media", "photo.png", photo_png)] if photo_png else []
        answer = self.post_json("/requests.json", fields, files)
        return answer[0]["service_request_id"]

    def post_update(self, request_id, description, status="open"):
        """A citizen's update through the public API (it waits for moderation)."""
        fields = {
            "api_key": self.client_key,
            "service_request_id": request_id,
            "update_id": uuid.uuid4().hex[:12],
            "updated_datetime": "2026-01-01T12:00:00Z",
            "status": status,
            "description": description,
        }
        return self.post_json("/servicerequestupdates.json", fields)

    def post_json(self, path, fields, files=()):
        if files:
            content_type, body = multipart(fields, files)
        else:
            content_type = "application/x-www-form-urlencoded"
            body = urllib.parse.urlencode(fields).encode()
        request = urllib.request.Request(self.api + path, data=body, method="POST")
        request.add_header("Content-Type", content_type)
        with urllib.request.urlopen(request, timeout=30) as answer:
            return json.loads(answer.read().decode())

    def get_json(self, path, **query):
        """GETs a public JSON document; answers (status, parsed body or None)."""
        url = self.api + path + ("?" + urllib.parse.urlencode(query) if query else "")
        try:
            with urllib.request.urlopen(url, timeout=30) as answer:
                return answer.status, json.loads(answer.read().decode())
        except urllib.error.HTTPError as refused:
            return refused.code, None

    def public_ids(self):
        """The ids GET requests.json lists (the public list; pending and rejected stay out)."""
        status, found = self.get_json("/requests.json")
        if status != 200:
            raise AssertionError("GET requests.json answered %d" % status)
        return {r["service_request_id"] for r in found}


def start_browser(folder, javascript=True):
    """Headless Chromium through the packaged chromedriver; selenium downloads nothing. With
    javascript=False the pages' scripts do not run (the driver's own still do): the console as
    a browser without JavaScript sees it, every action a plain form."""
    for path in (CHROMIUM, CHROMEDRIVER):
        if not os.access(path, os.X_OK):
            raise RuntimeError(path + " is missing: run scripts/install-deps.sh")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        "--window-size=1280,900",
        "--lang=en-GB",
        "--user-data-dir=" + os.path.join(folder, "chromium-profile"),
    ):
        options.add_argument(flag)
    if not javascript:
        options.add_experimental_option("prefs", {"profile.managed_default_content_settings.javascript": 2})
    service = Service(executable_path=CHROMEDRIVER, log_path=os.path.join(folder, "driver.log"))
    browser = webdriver.Chrome(service=service, options=options)
    browser.set_page_load_timeout(60)
    return browser


class ConsoleTest(unittest.TestCase):
    """One server and one Chromium for every test of a file, in a fresh temporary folder."""

    server = None
    browser = None
    staff_user = False  # whether the file needs a user of role staff besides the admin
    javascript = True  # False: the pages' scripts are off (htmx too), every action a form post

    @classmethod
    def setUpClass(cls):
        cls.folder = tempfile.mkdtemp(prefix="open311-browser-")
        cls.out = OPTIONS.out
        os.makedirs(cls.out, exist_ok=True)
        try:
            cls.server = Server(OPTIONS.binary, cls.folder, cls.staff_user)
            cls.browser = start_browser(cls.folder, cls.javascript)
        except BaseException:
            cls.tearDownClass()
            raise

    @classmethod
    def tearDownClass(cls):
        if cls.browser is not None:
            cls.browser.quit()
        if cls.server is not None:
            code = cls.server.stop()
            if code != 0:
                sys.stderr.write("".join(cls.server.log))
        shutil.rmtree(cls.folder, ignore_errors=True)

    # Navigation and reading the page.

    def open(self, path):
        self.browser.get(self.server.base + path)

    def wait(self, seconds=30):
        # A part htmx swaps out leaves stale elements behind: look again.
        return WebDriverWait(self.browser, seconds, ignored_exceptions=(StaleElementReferenceException,))

    def wait_for_path(self, prefix):
        """Waits until the browser is on a console page whose path starts with `prefix`."""
        base = self.server.base
        self.wait().until(lambda b: b.current_url.startswith(base + prefix))
        self.wait().until(lambda b: b.execute_script("return document.readyState") == "complete")

    def mark_page(self):
        """Sets a marker on this page's window: it survives an htmx swap, never a page load."""
        self.browser.execute_script("window.open311Marker = 'still here';")

    def page_kept(self):
        return self.browser.execute_script("return window.open311Marker === 'still here';")

    def find(self, css):
        return self.browser.find_element(By.CSS_SELECTOR, css)

    def find_all(self, css):
        return self.browser.find_elements(By.CSS_SELECTOR, css)

    def button(self, label, scope=None):
        """The one submit button with this visible label (in `scope`, else on the page)."""
        where = scope if scope is not None else self.browser
        found = [
            b
            for b in where.find_elements(By.CSS_SELECTOR, "button")
            if b.text.strip() == label and b.is_displayed()
        ]
        self.assertEqual(len(found), 1, "buttons labelled %r: %d" % (label, len(found)))
        return found[0]

    def form_of(self, label):
        """The form holding the button with this label."""
        return self.button(label).find_element(By.XPATH, "./ancestor::form")

    def flash(self):
        found = self.find_all("p.flash")
        return found[0].text if found else ""

    def error(self):
        found = self.find_all("p.error")
        return found[0].text if found else ""

    def queue_ids(self):
        """The request ids of the queue's rows, top to bottom."""
        return [row.get_attribute("data-id") for row in self.find_all("table.queue tbody tr")]

    def state_shown(self):
        return self.find("#state").text

    def screenshot(self, name):
        """Writes OUT/NAME.png of the whole page (the docs' images come from these)."""
        width = self.browser.execute_script("return document.documentElement.scrollWidth")
        height = self.browser.execute_script("return document.documentElement.scrollHeight")
        self.browser.set_window_size(max(1280, width), min(max(900, height + 120), 2400))
        try:
            self.browser.save_screenshot(os.path.join(self.out, name + ".png"))
        finally:
            self.browser.set_window_size(1280, 900)

    def sign_in(self, name=ADMIN):
        self.open("/staff/login")
        self.find("input[name=username]").send_keys(name)
        self.find("input[name=password]").send_keys(PASSWORD)
        self.button("Sign in").click()
        self.wait().until(lambda b: b.find_elements(By.CSS_SELECTOR, "form.signout"))

    def sign_out(self):
        self.button("Sign out").click()
        self.wait_for_path("/staff/login")

    # The keyboard: keys go to whatever has the focus, as a person's would.

    def press(self, *keys):
        ActionChains(self.browser).send_keys(*keys).perform()

    def focused_matches(self, css):
        return self.browser.execute_script(
            "return document.activeElement !== null && document.activeElement.matches(arguments[0])",
            css,
        )

    def tab_to(self, css, limit=80):
        """Presses Tab until the focused element matches `css` (fails after `limit` presses)."""
        for _ in range(limit):
            if self.focused_matches(css):
                return self.browser.switch_to.active_element
            self.press(Keys.TAB)
        self.fail("Tab never reached " + css)

    def load_axe_on_every_page(self):
        """Has Chromium run axe-core in every page it loads from now on. Sent once: sending its
        half a megabyte with each page costs seconds on a loaded machine. DevTools scripts are
        not the page's: the console's CSP (script-src 'self') does not apply to them."""
        if not os.path.exists(AXE):
            self.fail(AXE + " is missing: run scripts/install-deps.sh (npm ci in tests/browser)")
        with open(AXE, encoding="utf-8") as f:
            source = f.read()
        self.browser.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": source})
        self.browser.set_script_timeout(120)

    def accessibility_problems(self):
        """axe-core's serious and critical violations on the current page."""
        found = self.browser.execute_async_script(AXE_RUN)
        if isinstance(found, dict):
            self.fail("axe-core failed: " + found["error"])
        return [v for v in found if v["impact"] in ("serious", "critical")]

    def until_visible(self, css):
        return self.wait().until(
            expected_conditions.visibility_of_element_located((By.CSS_SELECTOR, css))
        )


def main():
    global OPTIONS
    OPTIONS, rest = _arguments(sys.argv[1:])
    unittest.main(argv=[sys.argv[0], *rest], verbosity=2)
