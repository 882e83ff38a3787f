#!/usr/bin/env python3
"""The response check finds what it must: an answer it accepts, and answers with a personal
field, an undocumented XML element or an undocumented status that it refuses.

Usage: validate_responses_test.py OPENAPI_JSON FMS_OPENAPI_JSON
"""
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
SERVER = {"profile": "georeport-v2", "base_path": "/open311/v2", "initiatives": True,
          "initiatives_base_path": "/api/v1", "post_response_json": "array",
          "single_request_json": "array", "empty_value_json": "empty_string"}
REQUEST = {"service_request_id": "a", "status": "open", "status_notes": "", "service_name": "Holes",
           "service_code": "171", "description": "A hole", "agency_responsible": "",
           "service_notice": "", "requested_datetime": "2026-01-01T00:00:00Z",
           "updated_datetime": "2026-01-01T00:00:00Z", "expected_datetime": "", "address": "",
           "address_id": "", "zipcode": "", "lat": 60.1, "long": 24.9, "media_url": ""}
JSON = "application/json; charset=utf-8"


def record(target, status, content_type, body, server=SERVER):
    return {"method": "GET", "target": target, "status": status, "content_type": content_type,
            "server": server, "body": body}


def check(document, fms, records):
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False) as log:
        for r in records:
            log.write(json.dumps(r) + "\n")
    try:
        run = subprocess.run([sys.executable, os.path.join(HERE, "validate_responses.py"),
                              document, log.name, fms], capture_output=True, text=True)
        return run.returncode, run.stdout
    finally:
        os.unlink(log.name)


def main(document, fms):
    good = [record("/open311/v2/requests/a.json", 200, JSON, json.dumps([REQUEST])),
            record("/open311/v2/requests/a", 404, "text/xml; charset=utf-8",
                   "<?xml version=\"1.0\"?><errors><error><code>404</code>"
                   "<description>service_request_id: no request 'a'</description></error></errors>"),
            record("/open311/v2/requests/a.json", 200, JSON,
                   json.dumps([dict(REQUEST, lat="", long="")]))]
    code, out = check(document, fms, good)
    assert code == 0, out
    bad = {
        "a personal field": record("/open311/v2/requests/a.json", 200, JSON,
                                   json.dumps([dict(REQUEST, email="someone@example.org")])),
        "an undocumented XML element": record(
            "/open311/v2/requests/a.xml", 200, "text/xml; charset=utf-8",
            "<?xml version=\"1.0\"?><service_requests><request><service_request_id>a"
            "</service_request_id><phone>040</phone></request></service_requests>"),
        "an undocumented status": record("/open311/v2/services.json", 418, JSON, "[]"),
        "a helsinki null in a georeport-v2 answer": record(
            "/open311/v2/requests/a.json", 200, JSON, json.dumps([dict(REQUEST, media_url=None)])),
    }
    for what, r in bad.items():
        code, out = check(document, fms, [r])
        assert code == 1, f"{what} passed the check:\n{out}"
    print("the check accepts the good answers and refuses", ", ".join(bad))
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 3:
        print(__doc__)
        sys.exit(2)
    sys.exit(main(sys.argv[1], sys.argv[2]))
