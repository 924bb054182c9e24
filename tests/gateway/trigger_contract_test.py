#!/usr/bin/python3
"""The trigger documents tekser builds, against the portal contract, by a validator nobody here
wrote (Debian's python3-jsonschema, JSON Schema draft 2020-12): the shipped examples and every
document printed by the trigger_documents program."""
import argparse
import json
import subprocess
import sys
import unittest
from pathlib import Path

import jsonschema

ARGS = None


class TriggerContract(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        schema = json.loads(Path(ARGS.schema).read_text(encoding="utf-8"))
        jsonschema.Draft202012Validator.check_schema(schema)
        cls.validator = jsonschema.Draft202012Validator(
            schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)

    def errors(self, document):
        return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
                for e in self.validator.iter_errors(document)]

    def test_examples_of_the_contract_are_valid(self):
        examples = sorted(Path(ARGS.schema).parent.glob("examples/*.json"))
        self.assertGreaterEqual(len(examples), 4)
        for path in examples:
            with self.subTest(example=path.name):
                self.assertEqual(self.errors(json.loads(path.read_text(encoding="utf-8"))), [])

    def test_documents_tekser_builds_are_valid(self):
        out = subprocess.run([ARGS.documents], check=True, capture_output=True, text=True).stdout
        documents = [json.loads(line) for line in out.splitlines() if line.strip()]
        kinds = {d["kind"] for d in documents}
        self.assertEqual(kinds, {"block", "deregister", "unblock", "warning", "review"})
        with_deadlines = set()
        for document in documents:
            with self.subTest(kind=document["kind"], supplier=document["supplier"]["id"]):
                self.assertEqual(self.errors(document), [])
                if "deadline" in document:
                    with_deadlines.add(document["kind"])
                    steps = document["deadlines"]
                    self.assertEqual(document["deadline"], steps[0]["due"])
                    dues = [document["data_received_at"]] + [s["due"] for s in steps]
                    self.assertEqual(dues, sorted(dues))
        # Only the kinds the law gives a deadline: p.13's review, the 2022 rules' deregistration.
        self.assertEqual(with_deadlines, {"review", "deregister"})

    def test_the_validator_does_refuse(self):
        # The check above means something only if a broken document fails it.
        out = subprocess.run([ARGS.documents], check=True, capture_output=True, text=True).stdout
        document = json.loads(out.splitlines()[0])
        document["kind"] = "suspend"
        del document["evidence"][0]["reply_sha256"]
        self.assertEqual(len(self.errors(document)), 2)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--schema", required=True)
    parser.add_argument("--documents", required=True)
    ARGS, rest = parser.parse_known_args()
    unittest.main(argv=[sys.argv[0]] + rest, verbosity=2)
