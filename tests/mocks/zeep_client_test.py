#!/usr/bin/python3
"""An independent SOAP client against the mock SHEP bus.

python3-zeep — a SOAP toolkit nobody here wrote — loads the WSDL the mocks publish
(`GET /bip-sync-wss-gost/?wsdl`, with the XSDs it imports under /contracts/), builds a
SendMessage for ГБД ЮЛ from the payload XSD, and calls it over a real socket. If the mocks'
WSDL, their published schemas or their SOAP replies strayed from the contract, zeep would fail
to load, to serialise or to parse. Run by ctest with the tekser-mocks binary as argument.
"""
import argparse
import datetime
import json
import os
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.request
import uuid

import zeep
from lxml import etree
from zeep import xsd

GBDUL_NS = "http://gbdulinfobybin_v2.egp.gbdul.tamur.kz"
ACTIVE_BIN = "150340012340"  # fixtures/suppliers.json: ul-active
REQUESTOR_BIN = "210440099998"
MOCKS = None  # path of the tekser-mocks binary, from the command line


def now_almaty():
    return datetime.datetime.now(datetime.timezone(datetime.timedelta(hours=5))).isoformat(
        timespec="milliseconds")


class ZeepAgainstMocks(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.workdir = tempfile.TemporaryDirectory()
        port_file = os.path.join(cls.workdir.name, "port")
        cls.stderr = open(os.path.join(cls.workdir.name, "mocks.log"), "w")
        cls.process = subprocess.Popen(
            [MOCKS, "--listen", "127.0.0.1:0", "--port-file", port_file],
            stdout=subprocess.DEVNULL, stderr=cls.stderr)
        deadline = time.monotonic() + 20
        while not os.path.exists(port_file):
            if cls.process.poll() is not None:
                raise RuntimeError("tekser-mocks exited with %s" % cls.process.returncode)
            if time.monotonic() > deadline:
                cls.process.kill()
                raise RuntimeError("tekser-mocks did not write its port within 20 s")
            time.sleep(0.05)
        with open(port_file) as f:
            cls.base = "http://127.0.0.1:%d" % int(f.read().strip())
        cls.client = zeep.Client(cls.base + "/bip-sync-wss-gost/?wsdl")
        # The payload's own XSD, from the same server: `data` is xsd:anyType in SHEP, so the
        # client needs the service's Request type to fill it.
        location = cls.base + "/contracts/gbd-ul/GbdulInfoByBin_v2.xsd"
        schema = xsd.Schema(etree.fromstring(cls.client.transport.load(location)),
                            transport=cls.client.transport, location=location)
        cls.request_type = schema.get_type("{%s}Request" % GBDUL_NS)

    @classmethod
    def tearDownClass(cls):
        cls.process.terminate()
        try:
            cls.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            cls.process.kill()
        cls.stderr.close()
        cls.workdir.cleanup()

    def send(self, message_id, bin_value, service_id="GbdulInfoByBin_v2", data=None):
        if data is None:
            data = xsd.AnyObject(self.request_type,
                                 self.request_type(RequestorBIN=REQUESTOR_BIN, BIN=bin_value))
        return self.client.service.SendMessage(request={
            "requestInfo": {"messageId": message_id, "serviceId": service_id,
                            "messageDate": now_almaty(),
                            "sender": {"senderId": "tekser", "password": "secret"}},
            "requestData": {"data": data}})

    def journal(self, subject):
        with urllib.request.urlopen(self.base + "/admin/journal?subject=" + subject) as reply:
            return json.load(reply)

    def test_wsdl_points_at_this_server(self):
        service = self.client.wsdl.services["ISyncChannelHttpService"]
        address = service.ports["SyncChannelHttpPort"].binding_options["address"]
        self.assertEqual(address, self.base + "/bip-sync-wss-gost/")

    def test_send_message_answers_the_organization(self):
        message_id = str(uuid.uuid4())
        response = self.send(message_id, ACTIVE_BIN)
        self.assertEqual(response.responseInfo.correlationId, message_id)
        self.assertEqual(response.responseInfo.status.code, "SCSS001")
        children = {etree.QName(e).localname: e for e in response.responseData.data}
        self.assertIn("Organization", children)
        self.assertEqual(children["Organization"].findtext("BIN"), ACTIVE_BIN)
        entries = [e for e in self.journal(ACTIVE_BIN) if e["message_id"] == message_id]
        self.assertEqual(len(entries), 1)
        self.assertEqual(entries[0]["validation"], "valid")

    def send_declared(self, message_id, bin_value):
        """The request as a SOAP toolkit writes the contract's declared element: zeep builds the
        envelope, and requestData/data holds {http://smartbridge.b10.kz}sendMessageRequest
        rendered by zeep from declareRequestResponseTypes.xsd (a child element, no xsi:type)."""
        location = self.base + "/contracts/gbd-ul/declareRequestResponseTypes.xsd"
        schema = xsd.Schema(etree.fromstring(self.client.transport.load(location)),
                            transport=self.client.transport, location=location)
        declared = schema.get_element("{http://smartbridge.b10.kz}sendMessageRequest")
        envelope = self.client.create_message(
            self.client.service, "SendMessage", request={
                "requestInfo": {"messageId": message_id, "serviceId": "GbdulInfoByBin_v2",
                                "messageDate": now_almaty(), "sender": {"senderId": "tekser"}},
                "requestData": {"data": ""}})
        data = envelope.find(".//requestData/data")
        declared.render(data, declared(RequestorBIN=REQUESTOR_BIN, BIN=bin_value))
        self.assertEqual(etree.QName(data[0]).localname, "sendMessageRequest")
        self.assertIsNone(data.get("{http://www.w3.org/2001/XMLSchema-instance}type"))
        binding = self.client.service._binding
        reply = self.client.transport.post_xml(self.base + "/bip-sync-wss-gost/", envelope,
                                               {"SOAPAction": '""',
                                                "Content-Type": "text/xml; charset=utf-8"})
        return binding.process_reply(self.client, binding.get("SendMessage"), reply)

    def test_declared_element_request_gets_data(self):
        message_id = str(uuid.uuid4())
        response = self.send_declared(message_id, ACTIVE_BIN)
        self.assertEqual(response.responseInfo.correlationId, message_id)
        self.assertEqual(response.responseInfo.status.code, "SCSS001")
        children = {etree.QName(e).localname: e for e in response.responseData.data}
        self.assertEqual(children["Organization"].findtext("BIN"), ACTIVE_BIN)
        entries = [e for e in self.journal(ACTIVE_BIN) if e["message_id"] == message_id]
        self.assertEqual(len(entries), 1)
        self.assertEqual(entries[0]["validation"], "valid")
        self.assertEqual(entries[0]["payload_shape"], "declared")

    def test_reply_in_the_declared_shape_parses(self):
        # The bus answers with the declared sendMessageResponse element for the next reply.
        request = urllib.request.Request(
            self.base + "/admin/wire-styles", method="POST",
            data=json.dumps({"subject": ACTIVE_BIN, "payload_shape": "declared",
                             "envelope_style": "default-ns", "count": 1}).encode(),
            headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request) as reply:
            self.assertEqual(reply.status, 201)
        response = self.send(str(uuid.uuid4()), ACTIVE_BIN)
        self.assertEqual(response.responseInfo.status.code, "SCSS001")
        (wrapper,) = list(response.responseData.data)
        self.assertEqual(etree.QName(wrapper).namespace, "http://smartbridge.b10.kz")
        self.assertEqual(etree.QName(wrapper).localname, "sendMessageResponse")
        self.assertEqual(wrapper.find("Organization").findtext("BIN"), ACTIVE_BIN)

    def test_schema_violation_is_a_shep_fault(self):
        # `data` typed xsd:string instead of the service's Request: the bus answers a SOAP fault
        # with an ErrorInfo, and journals the request as invalid.
        message_id = str(uuid.uuid4())
        with self.assertRaises(zeep.exceptions.Fault) as raised:
            self.send(message_id, ACTIVE_BIN, data=xsd.AnyObject(xsd.String(), ACTIVE_BIN))
        self.assertIn("SE_SCHEMA_VIOLATION", etree.tostring(raised.exception.detail).decode())

    def test_unknown_service_is_a_shep_fault(self):
        with self.assertRaises(zeep.exceptions.Fault) as raised:
            self.send(str(uuid.uuid4()), ACTIVE_BIN, service_id="NoSuchService")
        self.assertIn("SE_SERVICE_NOT_FOUND", etree.tostring(raised.exception.detail).decode())


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--mocks", required=True)
    args, rest = parser.parse_known_args()
    MOCKS = args.mocks
    unittest.main(argv=[sys.argv[0]] + rest, verbosity=2)
