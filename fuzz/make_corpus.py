#!/usr/bin/env python3
"""Writes the seed corpora under fuzz/corpus/<target>/: the golden replies of the mapping tests
(tests/mappings/golden), envelopes and bodies in the contracts' shapes, and hand-made hostile
inputs (DTDs: billion laughs, XXE; deep nesting; floods of elements; invalid UTF-8; NUL; a huge
attribute; truncated replies). Deterministic; run it again after changing it. Inputs the fuzzers
found are kept in the same folders under names of their own (crash-*, found-*)."""
import pathlib
import shutil

ROOT = pathlib.Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "mappings" / "golden"
CORPUS = ROOT / "fuzz" / "corpus"

SOAP = "http://schemas.xmlsoap.org/soap/envelope/"
TYPES = "http://bip.bee.kz/SyncChannel/v10/Types"


def envelope(body: str) -> str:
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<soap:Envelope xmlns:soap="{SOAP}">'
            f"<soap:Body>{body}</soap:Body></soap:Envelope>")


def response(data: str, code: str = "SCSS001") -> str:
    return envelope(
        f'<typ:SendMessageResponse xmlns:typ="{TYPES}"><response><responseInfo>'
        "<messageId>5530241f-79e4-4f19-bebe-f5171e23a467</messageId>"
        "<responseDate>2026-01-15T10:00:01.250+05:00</responseDate>"
        f"<status><code>{code}</code><message>ok</message></status></responseInfo>"
        f"<responseData><data>{data}</data></responseData></response></typ:SendMessageResponse>")


REQUEST = envelope(
    f'<typ:SendMessage xmlns:typ="{TYPES}"><request><requestInfo>'
    "<messageId>3f6c1c1e-2f7d-4d3a-9a55-0d7d2a1b9c01</messageId>"
    "<serviceId>GbdulInfoByBin_v2</serviceId>"
    "<messageDate>2026-01-15T10:00:00.000+05:00</messageDate>"
    "<sender><senderId>tekser</senderId><password>secret</password></sender>"
    "</requestInfo><requestData>"
    '<data xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
    'xmlns:pl="http://gbdulinfobybin_v2.egp.gbdul.tamur.kz" xsi:type="pl:Request">'
    "<BIN>150340012340</BIN></data></requestData></request></typ:SendMessage>")

BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
"""


def hostile_xml(sample_data: str) -> dict:
    """Hostile variants around a reply whose data is `sample_data`."""
    deep = "<a>" * 1000 + "x" + "</a>" * 1000
    return {
        "hostile-billion-laughs.xml": BILLION_LAUGHS + response("<x>&lol9;</x>"),
        "hostile-xxe-file.xml": '<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY xxe SYSTEM '
        '"file:///etc/passwd">]>\n' + response("<x>&xxe;</x>"),
        "hostile-xxe-parameter.xml": '<!DOCTYPE r [<!ENTITY % p SYSTEM "http://127.0.0.1:1/evil.dtd">'
        " %p;]>" + response(sample_data),
        "hostile-undeclared-entity.xml": response(sample_data.replace(">", ">&xxe;", 1)),
        "hostile-deep-nesting.xml": response(deep),
        "hostile-deep-unclosed.xml": response("<a>" * 5000),
        "hostile-huge-attribute.xml": response(f'<x a="{"A" * 65_536}">{sample_data}</x>'),
        "hostile-invalid-utf8.xml": response(sample_data).encode().replace(b"</data>", b"\xff\xfe</data>"),
        "hostile-overlong-utf8.xml": response(sample_data).encode().replace(b"</data>", b"\xc0\xaf</data>"),
        "hostile-nul.xml": response(sample_data).encode().replace(b"</data>", b"\x00</data>"),
        "hostile-char-ref-nul.xml": response(sample_data.replace(">", ">&#0;", 1)),
        "hostile-utf16-bom.xml": b"\xff\xfe" + response(sample_data).encode("utf-16-le"),
        "hostile-truncated.xml": response(sample_data)[: len(response(sample_data)) // 2],
        "hostile-cdata-unclosed.xml": response("<![CDATA[" + sample_data),
        "hostile-comment-unclosed.xml": response("<!-- " + sample_data),
        "hostile-status-not-success.xml": response(sample_data, "SE_PROVIDER_ERROR"),
        "hostile-empty.xml": "",
        "hostile-not-xml.xml": "HTTP/1.1 200 OK\r\n\r\n{\"json\": true}",
        "hostile-fault-deep-suberrors.xml": envelope(
            "<soap:Fault><faultcode>soap:Server</faultcode><faultstring>x</faultstring><detail>"
            f'<t:SendMessageFault1_SendMessageFault xmlns:t="{TYPES}">'
            + "<subError><errorCode>E</errorCode>" * 40 + "</subError>" * 40
            + "</t:SendMessageFault1_SendMessageFault></detail></soap:Fault>"),
    }


def hostile_json(sample: str) -> dict:
    return {
        "hostile-deep-array.json": "[" * 10_000 + "]" * 10_000,
        "hostile-deep-object.json": '{"a":' * 5_000 + "1" + "}" * 5_000,
        "hostile-invalid-utf8.json": sample.encode().replace(b'"', b'"\xff', 1),
        "hostile-overlong-utf8.json": sample.encode().replace(b'"', b'"\xc0\xaf', 1),
        "hostile-lone-surrogate.json": sample.replace('"', '"\\ud800', 1),
        "hostile-nul-escape.json": sample.replace('"', '"\\u0000', 1),
        "hostile-raw-nul.json": sample.encode().replace(b'"', b'"\x00', 1),
        "hostile-huge-number.json": sample.replace(":", ":1" + "0" * 400 + ",\"x\":", 1),
        "hostile-huge-string.json": '{"items":[{"reason_ru":"' + "Ж" * 30_000 + '"}]}',
        "hostile-truncated.json": sample[: len(sample) // 2],
        "hostile-not-object.json": '["items"]',
        "hostile-wrong-types.json": '{"items":{"a":1},"results":"x","total":"many","next_page":[1]}',
        "hostile-items-wrong-types.json":
            '{"items":[1,null,{"supplier_biin":150340012340,"start_date":true,"end_date":{}}],'
            '"results":[{"list":7,"bin_iin":[],"start_date":"2026-13-45","end_date":"9999-99-99"}]}',
        "hostile-empty.json": "",
    }


SUPPLIER_BODIES = {
    "valid-bin.json": '{"categories":["technical_aids","invataxi"]}',
    "valid-iin-consent.json":
        '{"categories":["sanatorium"],"consent":{"kdp_token":"tok","public_key":"MIIB"}}',
    "valid-null-consent.json": '{"categories":["sign_language"],"consent":null}',
    "bad-unknown-field.json": '{"categories":["invataxi"],"extra":1}',
    "bad-unknown-category.json": '{"categories":["flying_carpets"]}',
    "bad-empty-categories.json": '{"categories":[]}',
    "bad-consent-field.json": '{"categories":["invataxi"],"consent":{"kdp_token":"","x":1}}',
    "hostile-deep.json": '{"categories":' + "[" * 5_000 + "]" * 5_000 + "}",
    "hostile-invalid-utf8.json": b'{"categories":["invataxi\xff"]}',
    "hostile-invalid-utf8-key.json": b'{"categor\xc0\xafies":["invataxi"]}',
    "hostile-nul-token.json":
        '{"categories":["sanatorium"],"consent":{"kdp_token":"a\\u0000b","public_key":"k"}}',
    "hostile-lone-surrogate.json": '{"categories":["\\udc80"]}',
    "hostile-duplicate-keys.json": '{"categories":["invataxi"],"categories":["sanatorium"]}',
    "hostile-many-categories.json":
        '{"categories":[' + ",".join(['"invataxi"'] * 5_000) + "]}",
    "hostile-truncated.json": '{"categories":["invat',
    "hostile-not-json.json": "categories=invataxi",
    "hostile-empty.json": "",
}

MAPPING_PREFIXES = {
    "mapping_gbd_ul": "ul_",
    "mapping_gbd_fl": "fl_",
    "mapping_kgd": "kgd_",
    "mapping_elicense": "el_",
    "mapping_pa_checks": "pa_",
    "mapping_enis": "enis_",
}


def write(folder: pathlib.Path, files: dict) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        data = content if isinstance(content, bytes) else content.encode()
        (folder / name).write_bytes(data)


def seed_golden(folder: pathlib.Path, pattern: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for path in sorted(GOLDEN.glob(pattern)):
        shutil.copyfile(path, folder / ("golden-" + path.name))


def data_of(path: pathlib.Path) -> str:
    text = path.read_text(encoding="utf-8")
    start = text.find("<data")
    start = text.find(">", start) + 1
    return text[start:text.find("</data>", start)]


def main() -> None:
    for target, prefix in MAPPING_PREFIXES.items():
        folder = CORPUS / target
        seed_golden(folder, prefix + "*.xml")
        sample = next(p for p in sorted(GOLDEN.glob(prefix + "*.xml")) if "garbage" not in p.name)
        write(folder, hostile_xml(data_of(sample)))

    envelope_folder = CORPUS / "shep_envelope"
    seed_golden(envelope_folder, "*.xml")
    write(envelope_folder, hostile_xml("<x>1</x>"))
    write(envelope_folder, {
        "request-gbd-ul.xml": REQUEST,
        "hostile-many-elements.xml": response("<e/>" * 100_001),
    })

    requests = CORPUS / "mocks_request"
    write(requests, {"request-gbd-ul.xml": REQUEST})
    write(requests, {name: content for name, content in hostile_xml("<BIN>150340012340</BIN>").items()})
    write(requests, {
        "request-no-type.xml": REQUEST.replace(' xsi:type="pl:Request"', ""),
        "request-bad-date.xml": REQUEST.replace("2026-01-15T10:00:00.000+05:00", "yesterday"),
        "request-unknown-service.xml": REQUEST.replace("GbdulInfoByBin_v2", "Nope"),
        "hostile-request-billion-laughs.xml": BILLION_LAUGHS + REQUEST.replace(
            "<BIN>150340012340</BIN>", "<BIN>&lol9;</BIN>").replace('<?xml version="1.0" encoding="UTF-8"?>\n', ""),
    })

    for target, pattern in (("mapping_goszakup", "goszakup_*.json"),
                            ("mapping_samruk", "samruk_*.json")):
        folder = CORPUS / target
        seed_golden(folder, pattern)
        sample = (GOLDEN / sorted(p.name for p in GOLDEN.glob(pattern))[-1]).read_text()
        write(folder, hostile_json(sample))

    write(CORPUS / "gateway_supplier_put", SUPPLIER_BODIES)


if __name__ == "__main__":
    main()
