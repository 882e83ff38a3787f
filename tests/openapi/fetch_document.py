#!/usr/bin/env python3
"""Starts `open311d serve --demo` on a free loopback port and saves what it answers at
/openapi.json (the initiatives API on, as --demo turns it on), for the lint and the response
validation steps.

Usage: fetch_document.py OPEN311D_BINARY OUTPUT_FILE
"""
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request


def main(binary, output):
    with tempfile.TemporaryDirectory() as tmp:
        server = subprocess.Popen(
            [binary, "serve", "--demo", "--db", os.path.join(tmp, "openapi.db"),
             "--listen", "127.0.0.1:0"],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
            env=dict(os.environ, OPEN311_MEDIA_DIR=os.path.join(tmp, "media")))
        try:
            port = None
            deadline = time.monotonic() + 60
            while port is None and time.monotonic() < deadline:
                line = server.stderr.readline()
                if not line:
                    break
                found = re.search(r"listening on https?://[^:]+:(\d+)", line)
                if found:
                    port = int(found.group(1))
            if port is None:
                print("the server did not start", file=sys.stderr)
                return 1
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/openapi.json", timeout=30) as r:
                body = r.read()
            with open(output, "wb") as f:
                f.write(body)
            print(f"saved {len(body)} bytes to {output}")
            return 0
        finally:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()


if __name__ == "__main__":
    if len(sys.argv) != 3:
        print(__doc__)
        sys.exit(2)
    sys.exit(main(sys.argv[1], sys.argv[2]))
