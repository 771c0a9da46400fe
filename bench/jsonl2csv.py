#!/usr/bin/env python3
"""Converts a registry in the import format (JSON Lines) to one CSV file per
table, with the rows `tirkeu import` writes, so that bench/run.sh can COPY the
same rows into the same tables with psql: the raw limit of the import.

usage: jsonl2csv.py DIR < registry.jsonl
"""
import csv
import hashlib
import json
import os
import sys
from fractions import Fraction

NULL = r"\N"  # COPY ... WITH (FORMAT csv, NULL '\N'): empty strings stay empty strings

TABLES = {
    "persons": ["iin", "last_name", "first_name", "patronymic", "birth_date", "citizenship", "capacity",
                "deceased", "phone", "consular_abroad"],
    "organisations": ["bin", "name"],
    "organisation_representatives": ["bin", "iin"],
    "premises": ["rka", "region", "district", "locality", "street", "building", "unit", "kind",
                 "state_rental", "area_m2"],
    "ownerships": ["rka", "owner_iin", "owner_bin", "share"],
    "rental_agreements": ["rka", "tenant_iin", "valid_from", "valid_until", "members"],
    "relations": ["kind", "from_iin", "to_iin"],
    "registrations": ["id", "iin", "rka", "kind", "since", "until", "status", "ended_on", "end_reason", "imported"],
}


def share(v):
    if isinstance(v, str) and "/" in v:
        return float(Fraction(v))
    return float(v)


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    files = {t: open(os.path.join(out, t + ".csv"), "w", newline="") for t in TABLES}
    w = {t: csv.writer(f) for t, f in files.items()}
    for line in sys.stdin:
        d = json.loads(line)
        t = d["type"]
        if t == "person":
            w["persons"].writerow([d["iin"], d["last_name"], d["first_name"], d.get("patronymic", ""), d["birth_date"],
                                   d["citizenship"], d["capacity"], d.get("deceased", False), d.get("phone", ""),
                                   d.get("consular_abroad", False)])
        elif t == "organisation":
            w["organisations"].writerow([d["bin"], d["name"]])
            for rep in d.get("representatives", []):
                w["organisation_representatives"].writerow([d["bin"], rep])
        elif t == "premises":
            w["premises"].writerow([d["rka"], d["region"], d.get("district", ""), d["locality"], d.get("street", ""),
                                    d.get("building", ""), d.get("unit", ""), d["kind"], d.get("state_rental", False),
                                    d.get("area_m2") or 0])
        elif t == "ownership":
            w["ownerships"].writerow([d["rka"], d.get("owner_iin") or NULL, d.get("owner_bin") or NULL, share(d["share"])])
        elif t == "rental":
            w["rental_agreements"].writerow([d["rka"], d["tenant_iin"], d["valid_from"], d["valid_until"],
                                             json.dumps(d.get("members") or [])])
        elif t == "relation":
            w["relations"].writerow([d["kind"], d["from"], d["to"]])
        elif t == "registration":
            key = "\0".join([d["iin"], d["rka"], d["kind"], d["since"]])
            rid = "imp_" + hashlib.sha256(key.encode()).hexdigest()[:24]
            w["registrations"].writerow([rid, d["iin"], d["rka"], d["kind"], d["since"], d.get("until") or NULL,
                                         "active", NULL, NULL, True])
    for f in files.values():
        f.close()


if __name__ == "__main__":
    main()
