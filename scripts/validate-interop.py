#!/usr/bin/env python3
"""Validates our EPCIS 2.0 and DCSA T&T 2.2 output against the standards bodies' own schemas,
while we develop (scripts/validate-interop.sh runs it; docs/interop.md, "Schema checks").

Usage:
    SHIPLEDGER_SCHEMA_DIR=DIR python3 validate-interop.py epcis FILE.json
        # an EPCISDocument, an EPCISQueryDocument or a single event
    SHIPLEDGER_SCHEMA_DIR=DIR python3 validate-interop.py dcsa FILE.json
        # a JSON array of DCSA events (a GET /v2/events body), or one event

Exit status: 0 = valid (prints "valid"), 1 = validation errors, 2 = usage / IO / parse error.

The schemas are not ours to copy into the repository; DIR holds them as published:
    epcis/EPCIS-JSON-Schema.json  gs1/EPCIS @ 2c8a13ef1a35b1cc8f93cd49047f3c8a2ab327a7
    dcsa/tnt_v2.2.0.yaml          dcsaorg/DCSA-OpenAPI tnt/v2/tnt_v2.2.0.yaml
                                  @ 4116d76c7cd54bad624df2a15ca6ca0c579640f2 (Stoplight export,
                                  component schemas inlined)

Format checking: jsonschema.FormatChecker() plus our own "uri" and (fallback) "date-time"
checkers, so that the result does not depend on which optional packages are installed:
  * "uri": rfc3987 (rule "URI") when importable, otherwise a strict regex requiring a scheme
    ^[A-Za-z][A-Za-z0-9+.-]*: and no whitespace/control characters.
  * "date-time": rfc3339_validator when importable, otherwise an RFC 3339 regex + range check.
"""

import datetime
import json
import os
import re
import sys

import jsonschema
import yaml

SCHEMA_DIR = os.environ.get("SHIPLEDGER_SCHEMA_DIR", "")
EPCIS_SCHEMA = os.path.join(SCHEMA_DIR, "epcis", "EPCIS-JSON-Schema.json")
TNT_SPEC = os.path.join(SCHEMA_DIR, "dcsa", "tnt_v2.2.0.yaml")

# eventType (discriminator value) -> component schema in the T&T 2.2 Stoplight export
DCSA_EVENT_SCHEMAS = {
    "TRANSPORT": "TransportEvent",
    "SHIPMENT": "ShipmentEvent",
    "EQUIPMENT": "EquipmentEvent",
}


# --------------------------------------------------------------------------- formats

def _load_rfc3987():
    try:
        import rfc3987  # noqa: F401
        return rfc3987
    except ImportError:
        pass
    # Debian's python3-rfc3987 lives in dist-packages, which a pyenv/venv python does not
    # see. Try it (appended last, so it cannot shadow anything), then drop the path again.
    deb = "/usr/lib/python3/dist-packages"
    if os.path.isfile(os.path.join(deb, "rfc3987.py")):
        sys.path.append(deb)
        try:
            import rfc3987  # noqa: F401
            return rfc3987
        except ImportError:
            return None
        finally:
            sys.path.remove(deb)
    return None


_RFC3987 = _load_rfc3987()
_URI_FALLBACK = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:[^\s\x00-\x1f\x7f]*$")


def _check_uri(value):
    if not isinstance(value, str):
        return True
    if _RFC3987 is not None:
        _RFC3987.parse(value, rule="URI")  # raises ValueError if invalid
        return True
    return bool(_URI_FALLBACK.match(value))


try:
    import rfc3339_validator as _RFC3339
except ImportError:
    _RFC3339 = None

_DT = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$"
)


def _check_date_time(value):
    if not isinstance(value, str):
        return True
    if _RFC3339 is not None:
        return _RFC3339.validate_rfc3339(value)
    m = _DT.match(value)
    if not m:
        return False
    y, mo, d, h, mi, s = (int(m.group(i)) for i in range(1, 7))
    try:
        datetime.datetime(y, mo, d, h, mi, min(s, 59))  # allow leap second 60
    except ValueError:
        return False
    if s > 60:
        return False
    off = m.group(8)
    if off not in ("Z", "z") and (int(off[1:3]) > 23 or int(off[4:6]) > 59):
        return False
    return True


def make_format_checker():
    fc = jsonschema.FormatChecker()  # all known formats (incl. uuid, date, email, ...)
    fc.checks("uri", raises=ValueError)(_check_uri)
    fc.checks("date-time", raises=ValueError)(_check_date_time)
    return fc


# --------------------------------------------------------------------------- reporting

def _fmt_path(error, prefix="$"):
    path = prefix
    for p in error.absolute_path:
        path += "[%d]" % p if isinstance(p, int) else "." + str(p)
    return path


def _describe(error, prefix="$", schema_label=None):
    """One or more human-readable lines for a (possibly composite) jsonschema error."""
    path = _fmt_path(error, prefix)
    in_property_names = "propertyNames" in error.absolute_schema_path
    where = path
    if in_property_names:
        where = "%s (property name %r)" % (path, error.instance)
    msg = error.message
    if in_property_names and error.validator in ("anyOf", "oneOf", "format"):
        msg = ("property name %r is neither a defined field nor an absolute URI "
               "(EPCIS extension keys need a namespace prefix / IRI)" % (error.instance,))
    elif error.validator in ("anyOf", "oneOf") and error.context:
        # explain with the most relevant sub-error instead of dumping the whole instance
        best = jsonschema.exceptions.best_match(error.context)
        inst = json.dumps(error.instance)
        if len(inst) > 60:
            inst = inst[:57] + "..."
        msg = "%s matches none of the alternatives (%s); closest failure: %s" % (
            inst, error.validator, best.message)
    lines = ["%s: %s" % (where, msg)]
    sp = [str(x) for x in error.absolute_schema_path]
    if schema_label and sp[:2] == ["allOf", "0"]:
        sp = [schema_label] + sp[2:]  # our synthetic allOf/$ref wrapper -> component name
    lines.append("    schema: %s" % "/".join(sp))
    return lines


def _report(errors, prefix="$", schema_label=None):
    errors = sorted(errors, key=lambda e: (list(map(str, e.absolute_path)), e.message))
    for e in errors:
        for line in _describe(e, prefix, schema_label):
            print(line)
    return len(errors)


# --------------------------------------------------------------------------- EPCIS

def validate_epcis(doc):
    with open(EPCIS_SCHEMA, encoding="utf-8") as f:
        schema = json.load(f)
    v = jsonschema.Draft7Validator(schema, format_checker=make_format_checker())
    return _report(v.iter_errors(doc))


# --------------------------------------------------------------------------- DCSA

def _load_tnt():
    with open(TNT_SPEC, encoding="utf-8") as f:
        return yaml.safe_load(f)


def dcsa_validator_for(spec, component, fc):
    # Root document = the whole OpenAPI dict, so that "#/components/schemas/X" refs resolve
    # by JSON pointer; the schema itself is just an allOf-$ref to the wanted component.
    # OpenAPI-only keywords (nullable, example, deprecated, x-stoplight, ...) are unknown to
    # Draft 7 and therefore ignored.
    root = dict(spec)
    root["allOf"] = [{"$ref": "#/components/schemas/%s" % component}]
    return jsonschema.Draft7Validator(root, format_checker=fc)


def validate_dcsa(doc):
    spec = _load_tnt()
    fc = make_format_checker()
    validators = {et: dcsa_validator_for(spec, comp, fc)
                  for et, comp in DCSA_EVENT_SCHEMAS.items()}
    if isinstance(doc, dict):
        items, single = [doc], True
    elif isinstance(doc, list):
        items, single = doc, False
    else:
        print("$: expected a JSON array of events (or a single event object), got %s"
              % type(doc).__name__)
        return 1
    n = 0
    for i, ev in enumerate(items):
        prefix = "$" if single else "$[%d]" % i
        if not isinstance(ev, dict):
            print("%s: event is not an object" % prefix)
            n += 1
            continue
        et = ev.get("eventType")
        if et not in validators:
            print("%s.eventType: %s is not one of %s (discriminator; cannot pick a schema)"
                  % (prefix, json.dumps(et), sorted(validators)))
            n += 1
            continue
        n += _report(validators[et].iter_errors(ev), prefix,
                     "#/components/schemas/" + DCSA_EVENT_SCHEMAS[et])
    return n


# --------------------------------------------------------------------------- main

def main(argv):
    if len(argv) != 3 or argv[1] not in ("epcis", "dcsa"):
        print("usage: %s {epcis|dcsa} FILE.json" % os.path.basename(argv[0]), file=sys.stderr)
        return 2
    kind, path = argv[1], argv[2]
    if not os.path.isfile(EPCIS_SCHEMA if kind == "epcis" else TNT_SPEC):
        print("set SHIPLEDGER_SCHEMA_DIR to the folder holding epcis/EPCIS-JSON-Schema.json and "
              "dcsa/tnt_v2.2.0.yaml (see the top of this file)", file=sys.stderr)
        return 2
    try:
        with open(path, encoding="utf-8") as f:
            doc = json.load(f)
    except (OSError, ValueError) as e:
        print("cannot read %s: %s" % (path, e), file=sys.stderr)
        return 2
    nerr = validate_epcis(doc) if kind == "epcis" else validate_dcsa(doc)
    if nerr:
        print("%d error(s)" % nerr)
        return 1
    print("valid")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
