#!/usr/bin/python3
"""Checks recorded API calls against the published OpenAPI 3.1 document (contracts/api/openapi.json).

Each record is one JSON line {method, target, status, content_type, body} that the integration
tests' HTTP helper wrote to TEKSER_API_RECORD/calls-<pid>.jsonl for a call to the gateway. Each
call is matched to a path template and method of the document (or, for a path or method the
document does not route, to its `x-tekser-unrouted` responses), the response for its status is
picked, and a JSON body is validated with Debian's python3-jsonschema (draft 2020-12) against that
response's schema, $refs resolved into the document's components. Fails listing every violation
and every call whose route, method, status or content type is not documented; fails when nothing
was recorded, so that it cannot pass vacuously. The document's own structure is checked first.

  /usr/bin/python3 check_openapi.py --document contracts/api/openapi.json --records DIR
"""
import argparse
import collections
import json
import re
import sys
import urllib.parse
from pathlib import Path

import jsonschema

METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
PATH_ITEM_KEYS = set(METHODS) | {"parameters", "summary", "description", "servers", "$ref"}
STATUS_KEY = re.compile(r"^([1-5][0-9][0-9]|[1-5]XX|default)$")
SECURITY_TYPES = {"apiKey", "http", "mutualTLS", "oauth2", "openIdConnect"}


def pointer(document, ref):
    """The value a local $ref ("#/components/schemas/X") names, or None."""
    if not ref.startswith("#"):
        return None
    node = document
    for part in ref[1:].split("/")[1:]:
        part = urllib.parse.unquote(part).replace("~1", "/").replace("~0", "~")
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            return None
    return node


def resolved(document, node):
    while isinstance(node, dict) and "$ref" in node:
        node = pointer(document, node["$ref"])
    return node


def walk(node, where):
    yield node, where
    if isinstance(node, dict):
        for key, value in node.items():
            yield from walk(value, f"{where}/{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from walk(value, f"{where}/{i}")


def document_problems(document):
    """What makes `document` not an OpenAPI 3.1 document (a minimal structural meta-check: no
    OpenAPI validator is packaged in Debian 12)."""
    problems = []
    add = problems.append
    if not isinstance(document, dict):
        return ["the document is not a JSON object"]
    if not re.fullmatch(r"3\.1\.\d+", str(document.get("openapi", ""))):
        add(f"openapi: expected 3.1.x, got {document.get('openapi')!r}")
    info = document.get("info")
    if not isinstance(info, dict) or not isinstance(info.get("title"), str) \
            or not isinstance(info.get("version"), str):
        add("info: an object with the strings title and version is required")
    dialect = document.get("jsonSchemaDialect", "https://json-schema.org/draft/2020-12/schema")
    if dialect != "https://json-schema.org/draft/2020-12/schema":
        add(f"jsonSchemaDialect: the checker knows draft 2020-12 only, got {dialect!r}")
    components = document.get("components", {})
    schemes = components.get("securitySchemes", {})
    for name, scheme in schemes.items():
        if scheme.get("type") not in SECURITY_TYPES:
            add(f"components/securitySchemes/{name}: type must be one of {sorted(SECURITY_TYPES)}")
        if scheme.get("type") == "http" and not scheme.get("scheme"):
            add(f"components/securitySchemes/{name}: an http scheme needs `scheme`")

    def check_security(requirements, where):
        if not isinstance(requirements, list):
            add(f"{where}: security must be a list")
            return
        for requirement in requirements:
            for name in requirement:
                if name not in schemes:
                    add(f"{where}: security names the unknown scheme {name!r}")

    check_security(document.get("security", []), "security")
    for node, where in walk(document, "#"):
        if isinstance(node, dict) and isinstance(node.get("$ref"), str) \
                and pointer(document, node["$ref"]) is None:
            add(f"{where}: $ref {node['$ref']} does not resolve")
    for name, schema in components.get("schemas", {}).items():
        try:
            jsonschema.Draft202012Validator.check_schema(schema)
        except jsonschema.exceptions.SchemaError as e:
            add(f"components/schemas/{name}: not a valid JSON Schema: {e.message}")

    def check_responses(responses, where):
        if not isinstance(responses, dict) or not responses:
            add(f"{where}: responses must be a non-empty object")
            return
        for status, response in responses.items():
            if not STATUS_KEY.match(status):
                add(f"{where}/{status}: not a status code, a range like 4XX, or default")
            response = resolved(document, response)
            if not isinstance(response, dict) or not isinstance(response.get("description"), str):
                add(f"{where}/{status}: a response needs a description")
                continue
            for media, content in response.get("content", {}).items():
                if "/" not in media or not isinstance(content, dict):
                    add(f"{where}/{status}/content/{media}: not a media type object")
                elif "schema" in content:
                    try:
                        jsonschema.Draft202012Validator.check_schema(content["schema"])
                    except jsonschema.exceptions.SchemaError as e:
                        add(f"{where}/{status}/content/{media}: schema: {e.message}")

    operation_ids = collections.Counter()
    paths = document.get("paths")
    if not isinstance(paths, dict):
        add("paths: an object is required")
        paths = {}
    for path, item in paths.items():
        where = f"paths/{path}"
        if not path.startswith("/"):
            add(f"{where}: a path starts with /")
        unknown = set(item) - PATH_ITEM_KEYS
        if unknown:
            add(f"{where}: unknown keys {sorted(unknown)}")
        templated = set(re.findall(r"{([^}/]+)}", path))
        shared = {(p.get("name"), p.get("in")) for p in map(lambda p: resolved(document, p),
                                                            item.get("parameters", []))}
        for method in METHODS:
            operation = item.get(method)
            if operation is None:
                continue
            op_where = f"{where}/{method}"
            operation_ids[operation.get("operationId")] += 1
            parameters = [resolved(document, p) for p in operation.get("parameters", [])]
            declared = shared | {(p.get("name"), p.get("in")) for p in parameters}
            for name in templated:
                if (name, "path") not in declared:
                    add(f"{op_where}: the path parameter {{{name}}} is not declared")
            for p in parameters + [resolved(document, p) for p in item.get("parameters", [])]:
                if p.get("in") not in ("query", "header", "path", "cookie") or not p.get("name"):
                    add(f"{op_where}: a parameter needs a name and in: query, header, path or cookie")
                if p.get("in") == "path" and (p.get("required") is not True
                                              or p.get("name") not in templated):
                    add(f"{op_where}: path parameter {p.get('name')!r} must be required and in the path")
                if "schema" not in p and "content" not in p:
                    add(f"{op_where}: parameter {p.get('name')!r} has no schema")
            if "security" in operation:
                check_security(operation["security"], op_where)
            if not isinstance(operation.get("x-scopes"), list):
                add(f"{op_where}: x-scopes (the scopes the route needs, [] for none) is missing")
            check_responses(operation.get("responses"), f"{op_where}/responses")
    for operation_id, count in operation_ids.items():
        if operation_id is None:
            add("an operation has no operationId")
        elif count > 1:
            add(f"operationId {operation_id} is used {count} times")
    unrouted = document.get("x-tekser-unrouted")
    if unrouted is not None:
        check_responses(unrouted.get("responses"), "x-tekser-unrouted/responses")
    return problems


class Contract:
    def __init__(self, document):
        self.document = document
        self.resolver = jsonschema.RefResolver(base_uri="", referrer=document)
        # Literal paths before templated ones, so that /v1/rule-sets/dry-run is not a {name}.
        self.routes = []
        for path, item in document["paths"].items():
            parts = [p for p in path.split("/")[1:]]
            pattern = "^" + "".join(
                "/" + ("[^/]+" if re.fullmatch(r"{[^}/]+}", p) else re.escape(p))
                for p in parts) + "$"
            self.routes.append((path.count("{"), path, re.compile(pattern), item))
        self.routes.sort(key=lambda r: r[0])

    def operation(self, method, target):
        """(label, responses) for a call: its operation's, or the unrouted ones."""
        path = urllib.parse.urlsplit(target).path
        for _, template, pattern, item in self.routes:
            if pattern.match(path):
                operation = item.get(method.lower())
                if operation is not None:
                    return f"{method.upper()} {template}", operation["responses"]
                break
        unrouted = self.document.get("x-tekser-unrouted", {})
        return "(unrouted)", unrouted.get("responses", {})

    def response(self, responses, status):
        for key in (str(status), f"{str(status)[0]}XX", "default"):
            if key in responses:
                return resolved(self.document, responses[key])
        return None

    def violations(self, call):
        """Every way `call` breaks the contract, as (json path, reason)."""
        label, responses = self.operation(call["method"], call["target"])
        response = self.response(responses, call["status"])
        if response is None:
            return label, [("", f"status {call['status']} is not documented for {label}")]
        content = response.get("content", {})
        media = call.get("content_type", "").split(";")[0].strip().lower()
        body = call.get("body", "")
        if not content:
            return label, [] if not body else [("", "a body where the document describes none")]
        match = content.get(media) or content.get(media.split("/")[0] + "/*") or content.get("*/*")
        if match is None:
            return label, [("", f"content type {media or '(none)'} is not documented "
                                f"(documented: {', '.join(content)})")]
        schema = match.get("schema")
        if schema is None:
            return label, []
        if media == "application/json" or media.endswith("+json"):
            try:
                instance = json.loads(body)
            except ValueError as e:
                return label, [("", f"the body is not JSON: {e}")]
        else:
            instance = body
        validator = jsonschema.Draft202012Validator(schema, resolver=self.resolver)
        found = []
        for error in validator.iter_errors(instance):
            where = "$" + "".join(f"[{p}]" if isinstance(p, int) else f".{p}"
                                  for p in error.absolute_path)
            message = error.message if len(error.message) <= 300 else error.message[:300] + "…"
            found.append((where, message))
        return label, found


def read_records(folder):
    calls = []
    for file in sorted(Path(folder).glob("*.jsonl")):
        for number, line in enumerate(file.read_bytes().decode("utf-8", "replace").splitlines(), 1):
            if line.strip():
                try:
                    calls.append(json.loads(line))
                except ValueError as e:
                    raise SystemExit(f"{file}:{number}: not a JSON line: {e}")
    return calls


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--document", required=True)
    parser.add_argument("--records", required=True, help="the TEKSER_API_RECORD folder")
    parser.add_argument("--document-only", action="store_true",
                        help="check the document's structure and nothing else")
    args = parser.parse_args()

    document = json.loads(Path(args.document).read_text(encoding="utf-8"))
    problems = document_problems(document)
    if problems:
        print(f"{args.document} is not a valid OpenAPI 3.1 document:")
        for p in problems:
            print(f"  {p}")
        return 1
    if args.document_only:
        print(f"{args.document}: a valid OpenAPI 3.1 document")
        return 0

    calls = read_records(args.records) if Path(args.records).is_dir() else []
    if not calls:
        print(f"no API calls recorded in {args.records}: run the integration tests with "
              "TEKSER_API_RECORD set first (ctest does)")
        return 1

    contract = Contract(document)
    per_operation = collections.defaultdict(collections.Counter)
    failures = []
    for call in calls:
        label, found = contract.violations(call)
        per_operation[label][call["status"]] += 1
        for where, reason in found:
            failures.append(f"{call['method']} {call['target']} -> {call['status']}: "
                            f"{where or '(response)'}: {reason}")

    print(f"{len(calls)} calls to the gateway checked against {args.document}")
    for label in sorted(per_operation):
        statuses = ", ".join(f"{s}: {n}" for s, n in sorted(per_operation[label].items()))
        print(f"  {label}: {sum(per_operation[label].values())} ({statuses})")
    never = [f"{m.upper()} {p}" for p, item in document["paths"].items() for m in METHODS
             if m in item and f"{m.upper()} {p}" not in per_operation]
    print(f"operations never exercised ({len(never)}): {', '.join(never) if never else 'none'}")
    if failures:
        print(f"\n{len(failures)} violations of the contract:")
        # The same violation of many calls is listed once with its count.
        for failure, count in collections.Counter(failures).most_common():
            print(f"  {failure}" + (f"  (x{count})" if count > 1 else ""))
        return 1
    print("every response matches the contract")
    return 0


if __name__ == "__main__":
    sys.exit(main())
