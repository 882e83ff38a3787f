#!/usr/bin/env python3
"""Checks every answer the integration tests received against the server's OpenAPI document.

Usage: validate_responses.py OPENAPI_JSON RESPONSE_LOG [FMS_OPENAPI_JSON]

RESPONSE_LOG holds one JSON line per answer (tests/support/response_recorder.cpp). Each answer
must have a documented status for its operation and a documented content type; JSON bodies
must validate against the schema (JSON Schema 2020-12, as OpenAPI 3.1 says), XML bodies must
use the element names of the schema's `xml` hints. Answers of a server in the `georeport-v2`
profile are also checked against mySociety's description (FMS_OPENAPI_JSON), except for the
cases its own examples contradict (docs/api.md, "OpenAPI").
"""
import json
import re
import sys
import urllib.parse
import xml.etree.ElementTree as ET

import jsonschema

DEFAULT_BASE = "/open311/v2"
DEFAULT_INITIATIVES_BASE = "/api/v1"
METHODS = {"GET", "POST", "PUT", "PATCH", "DELETE"}


def pointer(*parts):
    return "#/" + "/".join(urllib.parse.quote(p.replace("~", "~0").replace("/", "~1"), safe="") for p in parts)


class Document:
    """An OpenAPI document: its operations by path template, and validators for its schemas."""

    def __init__(self, doc, prefix=""):
        self.doc = doc
        self.routes = []
        self.validators = {}
        for path, item in doc["paths"].items():
            self.routes.append((path_regex(prefix + path), path, item))

    def find(self, path):
        for regex, template, item in self.routes:
            if regex.match(path):
                return template, item
        return None, None

    def resolve(self, node):
        for _ in range(20):
            if not isinstance(node, dict) or "$ref" not in node:
                return node
            node = self.at(node["$ref"])
        return node

    def at(self, ref):
        node = self.doc
        for part in ref.lstrip("#/").split("/"):
            node = node[urllib.parse.unquote(part).replace("~1", "/").replace("~0", "~")]
        return node

    def validate(self, ref, instance):
        """The first error of `instance` against the schema at `ref`, or None."""
        validator = self.validators.get(ref)
        if validator is None:
            # The whole document is the root resource, so every $ref inside resolves.
            root = dict(self.doc)
            root["$ref"] = ref
            validator = jsonschema.Draft202012Validator(root)
            self.validators[ref] = validator
        error = jsonschema.exceptions.best_match(validator.iter_errors(instance))
        if error is None:
            return None
        where = "/".join(str(p) for p in error.absolute_path)
        return f"at '{where}': {error.message[:300]}"


def path_regex(template):
    """`/requests/{id}.{format}` → a regex; a final `.{format}` is optional (Accept decides)."""
    out = ""
    rest = template
    optional_format = rest.endswith(".{format}") or rest.endswith(".{response_format}")
    if optional_format:
        rest = rest[: rest.rindex(".")]
    for token in re.split(r"(\{[^}]+\})", rest):
        if token.startswith("{"):
            out += "[^/]+?"
        else:
            out += re.escape(token)
    if optional_format:
        out += r"(?:\.(?:xml|json|geojson))?"
    if template.endswith("/"):
        out += "?"
    return re.compile("^" + out + "$")


def media_type(content_type):
    return content_type.split(";")[0].strip().lower()


def check_xml(document, schema, element):
    """The element names of `element` against the `xml` hints (or property names) of `schema`."""
    schema = document.resolve(schema)
    for key in ("anyOf", "oneOf"):
        if key in schema:
            problems = [check_xml(document, alt, element) for alt in schema[key]]
            if any(p is None for p in problems):
                return None
            return problems[0]
    if "allOf" in schema:
        for part in schema["allOf"]:
            if document.resolve(part).get("type") == "object" and "properties" in document.resolve(part):
                merged = {"type": "object", "properties": {}, "required": []}
                for p in schema["allOf"]:
                    p = document.resolve(p)
                    merged["properties"].update(p.get("properties", {}))
                    merged["required"] += p.get("required", [])
                return check_xml(document, merged, element)
    kind = schema.get("type")
    if kind == "array":
        items = schema.get("items", {})
        item_name = (items.get("xml") or {}).get("name") or (document.resolve(items).get("xml") or {}).get("name")
        for child in element:
            if item_name and child.tag != item_name:
                return f"<{element.tag}> holds <{child.tag}>, expected <{item_name}>"
            problem = check_xml(document, items, child)
            if problem:
                return problem
        return None
    if kind == "object" or "properties" in schema:
        props = schema.get("properties", {})
        names = {}
        for name, prop in props.items():
            xml_name = (prop.get("xml") or {}).get("name") or (document.resolve(prop).get("xml") or {}).get("name")
            names[xml_name if (document.resolve(prop).get("type") == "array" and xml_name) else name] = prop
        seen = set()
        for child in element:
            if child.tag not in names:
                if schema.get("additionalProperties", True) is False:
                    return f"<{element.tag}> has an undocumented element <{child.tag}>"
                continue
            seen.add(child.tag)
            problem = check_xml(document, names[child.tag], child)
            if problem:
                return problem
        for name in schema.get("required", []):
            prop = document.resolve(props.get(name, {}))
            xml_name = (prop.get("xml") or {}).get("name") if prop.get("type") == "array" else None
            if (xml_name or name) not in seen:
                return f"<{element.tag}> lacks <{xml_name or name}>"
        return None
    if len(element):
        return f"<{element.tag}> should hold text, holds <{element[0].tag}>"
    return None


def root_name(document, schema):
    schema = document.resolve(schema)
    if "xml" in schema and schema["xml"].get("name"):
        return [schema["xml"]["name"]]
    names = []
    for key in ("anyOf", "oneOf"):
        for alt in schema.get(key, []):
            names += root_name(document, alt)
    return names


def under(path, base):
    return bool(base) and (path == base or path.startswith(base + "/"))


def normalise(record):
    """The record's path as the document (written for the default base paths, initiatives on)
    names it, or None when it is no route of the server that answered: a path under a default
    base path the server does not use, or the initiatives API of a server without it."""
    server = record.get("server") or {}
    path = urllib.parse.unquote(record["target"].split("?", 1)[0])
    initiatives = server.get("initiatives", True)
    bases = [(server.get("base_path"), DEFAULT_BASE, True),
             (server.get("initiatives_base_path"), DEFAULT_INITIATIVES_BASE, initiatives)]
    for own, default, enabled in bases:
        if under(path, own):
            if not enabled:
                return None
            path = default + path[len(own):]
            if default == DEFAULT_INITIATIVES_BASE and path.endswith(".json"):
                path = path[: -len(".json")]  # accepted as the reference service accepts it
            return path
    for own, default, enabled in bases:
        if under(path, default) and own != default:
            return None
    if path.startswith("/admin/v1/initiatives") and not initiatives:
        return None
    return path


class Failures:
    def __init__(self):
        self.groups = {}

    def add(self, key, example):
        group = self.groups.setdefault(key, [0, example])
        group[0] += 1

    def report(self, title):
        if not self.groups:
            return 0
        print(f"{title}: {sum(g[0] for g in self.groups.values())} answers, {len(self.groups)} kinds")
        for key, (count, example) in list(self.groups.items())[:60]:
            print(f"  {count:5d} x {key}\n          e.g. {example[:400]}")
        return 1


def check_body(document, failures, record, op_key, response, ctype):
    content = response.get("content") or {}
    body = record.get("body")
    if not content:
        if body:
            failures.add(f"{op_key}: an undocumented body", record["target"])
        return None, None
    if ctype not in content:
        failures.add(f"{op_key}: undocumented content type {ctype}", record["target"])
        return None, None
    if body is None:
        return None, None
    return content[ctype].get("schema"), body


def validate_one(document, failures, record):
    method = record["method"].upper()
    if method == "OPTIONS":
        return
    if method == "HEAD":
        method = "GET"
    path = normalise(record)
    status = str(record["status"])
    ctype = media_type(record.get("content_type", ""))
    template, item = document.find(path) if path is not None else (None, None)
    op = item.get(method.lower()) if item else None
    if op is None:
        # No such path, or another method: the common error list (404, 405, 400).
        if status not in ("400", "404", "405", "413", "429", "503"):
            failures.add(f"{method} {template or '(no path)'}: status {status} for an undocumented route", record["target"])
            return
        schema_ref = "#/components/schemas/Errors"
        op_key = f"{method} {template or '(no path)'} {status}"
        body = record.get("body")
        if body is not None:
            check_instance(document, failures, op_key, {"$ref": schema_ref}, body, ctype, record)
        return
    op_key = f"{method} {template} {status}"
    response = op["responses"].get(status) or op["responses"].get("default")
    if response is None:
        failures.add(f"{op_key}: status not documented", record["target"] + " " + str(record.get("body", ""))[:200])
        return
    response = document.resolve(response)
    schema, body = check_body(document, failures, record, op_key, response, ctype)
    if schema is not None:
        check_instance(document, failures, op_key, schema, body, ctype, record)


def check_instance(document, failures, op_key, schema, body, ctype, record):
    if ctype in ("application/json", "application/geo+json"):
        try:
            instance = json.loads(body)
        except ValueError:
            failures.add(f"{op_key}: not JSON", body[:200])
            return
        ref = schema["$ref"] if "$ref" in schema and len(schema) == 1 else None
        if ref is None:
            # An inline schema: validate it with the document's components in reach.
            ref = "#/x-inline/" + str(id(schema))
            document.doc.setdefault("x-inline", {})[str(id(schema))] = schema
        problem = document.validate(ref, instance)
        if problem:
            failures.add(f"{op_key}: {problem}", record["target"] + "  " + body[:300])
    elif ctype in ("text/xml", "application/xml"):
        try:
            element = ET.fromstring(body.encode("utf-8"))
        except ET.ParseError as e:
            failures.add(f"{op_key}: not XML ({e})", body[:200])
            return
        names = root_name(document, schema)
        if names and element.tag not in names:
            failures.add(f"{op_key}: XML root <{element.tag}>, expected one of {names}", body[:200])
            return
        problem = check_xml(document, schema, element)
        if problem:
            failures.add(f"{op_key}: {problem}", record["target"] + "  " + body[:300])


# mySociety's description: OpenAPI 3.0 (`nullable`), paths relative to the base path.
def fms_document(path):
    with open(path, encoding="utf-8") as f:
        doc = json.load(f)

    def convert(node):
        if isinstance(node, dict):
            node = {k: convert(v) for k, v in node.items() if k != "example"}
            if node.pop("nullable", False) and "type" in node:
                node["type"] = [node["type"], "null"]
            return node
        if isinstance(node, list):
            return [convert(v) for v in node]
        return node

    return Document(convert(doc), DEFAULT_BASE)


# Where mySociety's schemas and its own examples disagree, the examples (and the GeoReport v2
# text) win; docs/api.md ("OpenAPI") lists each case. Matched on the validator's message.
def lower_case_update_status(problem):
    """Its Update schema lists upper-case states (OPEN, FIXED…), while its own example answers
    `"status": "open"` and its Request schema lists them lower case: the lower case we send."""
    found = re.search(r"at '(?:\d+/)?status': '([a-z_]+)' is not one of (\[.*\])", problem)
    return bool(found) and f"'{found.group(1).upper()}'" in found.group(2)


def empty_coordinates(problem):
    """Its Request schema types lat and long as numbers and every other field as a string, yet
    its own examples write a field without a value as null (`"description": null`), which those
    types refuse. A request located by address only has no coordinates: the georeport-v2
    profile writes "" for them, as for every empty field."""
    return re.search(r"at '(?:\d+/)?(?:properties/)?(lat|long)': '' is not of type 'number'", problem) is not None


FMS_EXCEPTIONS = [lower_case_update_status, empty_coordinates]


def validate_fms(fms, failures, record):
    server = record.get("server") or {}
    if server.get("profile") != "georeport-v2" or server.get("empty_value_json") != "empty_string":
        return
    if server.get("post_response_json") != "array" or server.get("single_request_json") != "array":
        return
    if record["method"] not in ("GET", "POST") or record.get("body") is None:
        return
    if media_type(record.get("content_type", "")) != "application/json" or record["status"] != 200:
        return
    path = normalise(record)
    if path is None or path.endswith(".geojson"):
        return
    template, item = fms.find(path)
    op = item.get(record["method"].lower()) if item else None
    if op is None:
        return
    response = fms.resolve(op["responses"].get("200", {}))
    schema = ((response.get("content") or {}).get("application/json") or {}).get("schema")
    if schema is None:
        return
    op_key = f"{record['method']} {template} 200"
    try:
        instance = json.loads(record["body"])
    except ValueError:
        return  # reported by the check against our own document
    ref = schema["$ref"] if "$ref" in schema and len(schema) == 1 else None
    if ref is None:
        ref = "#/x-inline/" + str(id(schema))
        fms.doc.setdefault("x-inline", {})[str(id(schema))] = schema
    problem = fms.validate(ref, instance)
    if problem and not any(exception(problem) for exception in FMS_EXCEPTIONS):
        failures.add(f"{op_key}: {problem}", record["target"] + "  " + record["body"][:300])


def main(argv):
    if len(argv) < 3:
        print(__doc__)
        return 2
    with open(argv[1], encoding="utf-8") as f:
        document = Document(json.load(f))
    fms = fms_document(argv[3]) if len(argv) > 3 else None
    ours, theirs = Failures(), Failures()
    total = checked_fms = 0
    try:
        log = open(argv[2], encoding="utf-8")
    except FileNotFoundError:
        print(f"no answers recorded in {argv[2]}: nothing to check")
        return 0
    with log:
        for line in log:
            if not line.strip():
                continue
            record = json.loads(line)
            if record.get("server") is None:
                continue  # not a TestServer of this process (a child server, a raw socket)
            if record["target"].startswith("/staff/"):
                continue  # the staff console: HTML pages and forms, not part of the API
            total += 1
            validate_one(document, ours, record)
            if fms is not None:
                before = len(theirs.groups)
                validate_fms(fms, theirs, record)
                checked_fms += 1 if len(theirs.groups) == before else 0
    print(f"{total} answers checked against the OpenAPI document")
    failed = ours.report("answers that do not match the document")
    if fms is not None:
        failed |= theirs.report("georeport-v2 answers that do not match mySociety's description")
    return failed


if __name__ == "__main__":
    sys.exit(main(sys.argv))
