#!/usr/bin/python3
"""Prints a verify (or, with --eligibility, an eligibility) reply of the portal API, read as JSON on
stdin, as a short human-readable summary."""
import json
import sys


def short(name, value):
    if name == "names":
        return value.get("short_ru") or value.get("full_ru") or " ".join(
            filter(None, [value.get("surname"), value.get("name"), value.get("patronymic")]))
    if name == "status":
        since = value.get("since") or value.get("death_date")
        return value["value"] + (f" since {since}" if since else "")
    if name == "legal_address":
        return value.get("text_ru")
    if isinstance(value, (dict, list)):
        return None
    return value


def show_eligibility(reply):
    for verdict in reply["verdicts"]:
        print(f"  eligibility ({verdict['category']}, {reply['rule_set']}): {verdict['overall']}")
        for r in verdict["requirements"]:
            print(f"    {r['id']:15} {r['outcome']:15} {r['reason']['ru']}")


def refused(reply):
    """The API's {"error": {field, reason}} (e.g. 401 without a token), said and exited on."""
    error = reply.get("error") if isinstance(reply, dict) else None
    if isinstance(error, dict):
        sys.exit(f"the gateway refused: {error.get('field')}: {error.get('reason')}"
                 " (the API wants Authorization: Bearer <token>; deploy/run.sh writes one to"
                 " var/run/api-token)")
    return reply


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "--eligibility":
        show_eligibility(refused(json.load(sys.stdin)))
        return
    label = sys.argv[1] if len(sys.argv) > 1 else ""
    view = refused(json.load(sys.stdin))
    print(f"\n{label}: {view['supplier']['id']}")
    for asked in view["verification"]["asked"]:
        print(f"  asked {asked['system']:8} -> {asked['outcome']:11} {asked['cause']}")
    provenance = None
    for fact in sorted(view["facts"], key=lambda f: (f["system"], f["name"])):
        text = short(fact["name"], fact["value"])
        if text is not None:
            print(f"  {fact['name']:18} {text}")
        if fact["name"] == "status" or provenance is None:
            provenance = fact["provenance"]
    if provenance:
        print(f"  provenance: {provenance['system']}/{provenance['service_id']}, message "
              f"{provenance['message_id']}, reply sha256 {provenance['reply_sha256'][:16]}…")
        signer = provenance.get("signer_sha256")
        print(f"  reply signature: {provenance.get('signature', 'not_checked')}"
              + (f", signer sha256 {signer[:16]}…" if signer else ""))


if __name__ == "__main__":
    main()
