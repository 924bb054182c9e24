#!/usr/bin/python3
"""The contract checker can fail: crafted records that break the document (a wrong type, a
missing field, an undocumented status, route or content type, nothing recorded) must fail it,
records that keep it must pass, and a document that is not OpenAPI 3.1 must be refused."""
import argparse
import json
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

ARGS = None


def record(method, target, status, body, content_type="application/json; charset=utf-8"):
    text = body if isinstance(body, str) else json.dumps(body)
    return {"method": method, "target": target, "status": status,
            "content_type": content_type, "body": text}


def error(field, reason):
    return {"error": {"field": field, "reason": reason}}


GOOD_VERSION = {"version": "0.1.0", "commit": "0123456789ab", "rule_sets": ["order-285"],
                "contracts": [{"system": "gbd_ul", "name": "GbdulInfoByBin_v2",
                               "transport": "shep", "assumed": False}]}


class Checker(unittest.TestCase):
    def check(self, calls, document=None):
        with tempfile.TemporaryDirectory() as folder:
            records = Path(folder) / "records"
            records.mkdir()
            if calls:
                (records / "calls-1.jsonl").write_text(
                    "".join(json.dumps(c) + "\n" for c in calls), encoding="utf-8")
            path = ARGS.document
            if document is not None:
                path = str(Path(folder) / "openapi.json")
                Path(path).write_text(json.dumps(document), encoding="utf-8")
            run = subprocess.run([sys.executable, ARGS.checker, "--document", path,
                                  "--records", str(records)],
                                 capture_output=True, text=True, check=False)
            return run.returncode, run.stdout + run.stderr

    def assert_fails(self, calls, *phrases, document=None):
        code, output = self.check(calls, document)
        self.assertEqual(code, 1, output)
        for phrase in phrases:
            self.assertIn(phrase, output)

    def test_responses_that_keep_the_contract_pass(self):
        code, output = self.check([
            record("GET", "/healthz", 200, {"status": "ok"}),
            record("GET", "/readyz", 503, {"status": "not_ready"}),
            record("GET", "/v1/version", 200, GOOD_VERSION),
            record("GET", "/metrics", 200, "tekser_triggers 0\n", "text/plain; version=0.0.4"),
            record("GET", "/v1/suppliers/150340012340?x=1", 400, error("x", "unknown parameter")),
            record("PUT", "/v1/suppliers/150340012340", 413, error("body", "too large"),
                   "application/json"),
            # A path the document does not route: the unrouted responses.
            record("GET", "/v2/nothing", 401, error("Authorization", "missing bearer token")),
            record("DELETE", "/v1/suppliers/150340012340", 405, error("method", "not allowed")),
        ])
        self.assertEqual(code, 0, output)
        self.assertIn("8 calls to the gateway checked", output)
        self.assertIn("GET /v1/version: 1 (200: 1)", output)
        self.assertIn("operations never exercised", output)

    def test_a_field_of_the_wrong_type_fails_naming_its_path(self):
        self.assert_fails([record("GET", "/v1/version", 200, {**GOOD_VERSION, "version": 1})],
                          "GET /v1/version -> 200: $.version: 1 is not of type 'string'")

    def test_a_missing_required_field_fails(self):
        self.assert_fails([record("GET", "/v1/triggers/abc", 404, {"error": {"field": "id"}})],
                          "$.error: 'reason' is a required property")

    def test_a_value_outside_the_enum_fails(self):
        self.assert_fails([record("GET", "/readyz", 200, {"status": "maybe"})],
                          "$.status: 'maybe' is not one of")

    def test_an_undocumented_status_fails(self):
        self.assert_fails([record("GET", "/healthz", 418, {"status": "ok"})],
                          "status 418 is not documented for GET /healthz")
        self.assert_fails([record("GET", "/v2/nothing", 200, {})],
                          "status 200 is not documented for (unrouted)")

    def test_an_undocumented_content_type_fails(self):
        self.assert_fails([record("GET", "/metrics", 200, {"a": 1})],
                          "content type application/json is not documented")

    def test_a_body_that_is_not_json_fails(self):
        self.assert_fails([record("GET", "/healthz", 200, "ok")], "the body is not JSON")

    def test_nothing_recorded_fails(self):
        self.assert_fails([], "no API calls recorded")

    def test_a_document_that_is_not_openapi_3_1_is_refused(self):
        document = json.loads(Path(ARGS.document).read_text(encoding="utf-8"))
        document["openapi"] = "3.0.3"
        document["paths"]["/healthz"]["get"]["responses"]["200"]["content"][
            "application/json"]["schema"] = {"$ref": "#/components/schemas/Nothing"}
        del document["paths"]["/v1/suppliers/{id}"]["parameters"]
        self.assert_fails([record("GET", "/healthz", 200, {"status": "ok"})],
                          "openapi: expected 3.1.x", "does not resolve",
                          "the path parameter {id} is not declared", document=document)

    def test_the_shipped_document_is_valid(self):
        run = subprocess.run([sys.executable, ARGS.checker, "--document", ARGS.document,
                              "--records", "/nonexistent", "--document-only"],
                             capture_output=True, text=True, check=False)
        self.assertEqual(run.returncode, 0, run.stdout + run.stderr)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--checker", required=True)
    parser.add_argument("--document", required=True)
    ARGS, rest = parser.parse_known_args()
    unittest.main(argv=[sys.argv[0]] + rest)
