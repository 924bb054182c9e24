#!/usr/bin/python3
"""The reference for the gateway's cost per state-system call: python3-zeep, a SOAP toolkit
nobody here wrote, calling the mock bus's ГБД ЮЛ service the way tests/mocks/zeep_client_test.py
does (the WSDL and the payload XSD the mocks publish, a typed Request in requestData/data).

    /usr/bin/python3 bench/zeep_calls.py --base http://127.0.0.1:PORT --bins FILE --calls N

Prints one JSON line: calls, errors, the client's own CPU (user + system) per call in ms and
the wall time. Loading the WSDL is not counted; every call parses the reply fully.
"""
import argparse
import datetime
import json
import resource
import time
import uuid

import zeep
from lxml import etree
from zeep import xsd

GBDUL_NS = "http://gbdulinfobybin_v2.egp.gbdul.tamur.kz"


def cpu_seconds():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", required=True)
    parser.add_argument("--bins", required=True, help="a file of BINs, one per line")
    parser.add_argument("--calls", type=int, default=500)
    args = parser.parse_args()
    with open(args.bins) as f:
        bins = [line.strip() for line in f if line.strip()]
    client = zeep.Client(args.base + "/bip-sync-wss-gost/?wsdl")
    location = args.base + "/contracts/gbd-ul/GbdulInfoByBin_v2.xsd"
    schema = xsd.Schema(etree.fromstring(client.transport.load(location)),
                        transport=client.transport, location=location)
    request_type = schema.get_type("{%s}Request" % GBDUL_NS)
    zone = datetime.timezone(datetime.timedelta(hours=5))
    errors = 0
    cpu0, wall0 = cpu_seconds(), time.monotonic()
    for i in range(args.calls):
        data = xsd.AnyObject(request_type,
                             request_type(RequestorBIN="210440099998", BIN=bins[i % len(bins)]))
        reply = client.service.SendMessage(request={
            "requestInfo": {"messageId": str(uuid.uuid4()), "serviceId": "GbdulInfoByBin_v2",
                            "messageDate": datetime.datetime.now(zone).isoformat(
                                timespec="milliseconds"),
                            "sender": {"senderId": "tekser", "password": "secret"}},
            "requestData": {"data": data}})
        if reply.responseInfo.status.code != "SCSS001":
            errors += 1
    cpu, wall = cpu_seconds() - cpu0, time.monotonic() - wall0
    print(json.dumps({"calls": args.calls, "errors": errors,
                      "cpu_ms_per_call": round(cpu * 1000 / args.calls, 3),
                      "wall_s": round(wall, 2)}))


if __name__ == "__main__":
    main()
