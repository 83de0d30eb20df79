#!/usr/bin/env python3
"""Writes History/SyntheticHistory.cs: the benchmark's synthetic version history, and the same history as a naive chain.

Run once from the project folder (python3 Scripts/make_history.py); the output is checked in. The history has 501 versions
(2011-08-01 and 500 weekly versions after it) and these changes, each one instruction or one code transformation:

- Charge (A): one declarative change in each of the newest 100 versions (renames, removals given back with constants,
  enum mappings, hidden added fields, in turn);
- CodeCharge (B): the same, except that every 10th change is code (a number turned into a string, an object collapsed
  into one of its values): 90 declarative and 10 code, each code transformation declaring the one field it touches
  ([BackwardTransform(..., Field = "...")]), as the API asks of code that touches one field;
- ObjectCodeCharge (B'): the same changes as B, its code declaring no field, so that it runs on the whole resource;
- BusyCharge (D): one declarative change in every one of the 500 versions;
- QuietCharge (C): none, though 500 versions lie between its oldest and newest version;
- Invoice, LineItem and Event: 10, 10 and 5 declarative changes among the newest 100 versions.

The walk runs back from the current shape, newest change first, exactly as the generator checks history: each change
names fields that exist at its point. The naive chain applies the same changes to a JsonNode DOM by hand, with no
VersionKit code, one change after another.
"""
import datetime
import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
VERSIONS = 500
INITIAL = datetime.date(2011, 8, 1)


def version(k):
    return (INITIAL + datetime.timedelta(days=7 * k)).isoformat()


def load(name):
    with open(os.path.join(ROOT, "Data", name)) as f:
        return json.load(f)


def cs_string(text):
    return json.dumps(text)


def rename_in_place(state, old_key, new_key):
    return {(new_key if k == old_key else k): v for k, v in state.items()}


def root(field):
    return field.split("_v")[0]


class Resource:
    def __init__(self, type_name, object_name, label, payload, changes_at, code_every=0, seed=0, field_scoped=False):
        self.type_name = type_name
        self.label = label
        self.state = dict(payload)
        self.state["object"] = object_name
        self.changes_at = sorted(changes_at, reverse=True)  # newest first
        self.code_every = code_every
        self.field_scoped = field_scoped
        self.pointer = seed
        self.changes = []  # (k, class name, attributes, description, naive lambda or method, code body)

    def pick(self, predicate=lambda k, v: True):
        keys = [k for k, v in self.state.items() if k not in ("id", "object") and predicate(k, v)]
        if not keys:
            raise ValueError(f"{self.type_name}: no field to pick")
        self.pointer += 7
        return keys[self.pointer % len(keys)]

    def walk(self):
        for i, k in enumerate(self.changes_at):
            name = f"{self.type_name}Change{k:03d}"
            if self.code_every and (i + 1) % self.code_every == 0:
                self.code_change(k, name, i // self.code_every)
            else:
                [self.rename, self.restore, self.map_value, self.hide][i % 4](k, name)

    def add(self, k, name, attributes, description, naive, code=None):
        field = self.code_field if code is not None and self.field_scoped else None
        self.changes.append((k, name, attributes, description, naive, (code, field) if code is not None else None))

    def rename(self, k, name):
        new = self.pick()
        old = f"{root(new)}_v{k}"
        assert old not in self.state
        self.state = rename_in_place(self.state, new, old)
        self.add(k, name, [f"[FieldRenamed(typeof({self.type_name}), {cs_string(old)}, {cs_string(new)})]"],
                 f"{self.label}: `{old}` is now called `{new}`.",
                 f"o => NaiveJson.Rename(o, {cs_string(new)}, {cs_string(old)})")

    def restore(self, k, name):
        field = f"legacy_{k}"
        assert field not in self.state
        value, literal = [(f"value {k}", cs_string(f"value {k}")), (k, str(k)), (k % 3 == 0, "true" if k % 3 == 0 else "false")][k % 3]
        self.state[field] = value
        # Numbers read from JSON are longs to code that asks (TryGetValue<long>); the naive chain writes them so.
        naive_literal = literal + "L" if isinstance(value, int) and not isinstance(value, bool) else literal
        self.add(k, name, [f"[FieldRemoved(typeof({self.type_name}), {cs_string(field)}, Value = {literal})]"],
                 f"{self.label} no longer carry `{field}`; older versions see `{json.dumps(value)}`.",
                 f"o => o[{cs_string(field)}] = {naive_literal}")

    def map_value(self, k, name):
        field = self.pick(lambda key, v: isinstance(v, str))
        value = self.state[field]
        legacy = f"{root(field)}_{k}"
        self.state[field] = legacy
        self.add(k, name, [f"[EnumValueAdded(typeof({self.type_name}), {cs_string(field)}, {cs_string(value)}, {cs_string(legacy)})]"],
                 f"{self.label}' `{field}` can be `{value}`; older versions see `{legacy}`.",
                 f"o => NaiveJson.MapValue(o, {cs_string(field)}, {cs_string(value)}, {cs_string(legacy)})")

    def hide(self, k, name):
        # Objects stay: code changes collapse them, and an old shape as deep as the current one costs what it costs
        # because of its chain, not because it lost its nested objects.
        field = self.pick(lambda key, v: not isinstance(v, dict))
        del self.state[field]
        self.add(k, name, [f"[FieldAdded(typeof({self.type_name}), {cs_string(field)})]"],
                 f"{self.label} have a `{field}`.",
                 f"o => o.Remove({cs_string(field)})")

    def code_change(self, k, name, n):
        if n % 2 == 0:
            field = self.pick(lambda key, v: isinstance(v, int) and not isinstance(v, bool))
            self.state[field] = str(self.state[field])
            attribute = f"[FieldTypeChanged(typeof({self.type_name}), {cs_string(field)}, \"string\", \"integer\")]"
            description = f"{self.label}' `{field}` is a number; older versions see it as a string."
            body = (f"if (o[{cs_string(field)}] is JsonValue value && value.TryGetValue(out long number))\n"
                    f"        {{\n"
                    f"            o[{cs_string(field)}] = number.ToString(CultureInfo.InvariantCulture);\n"
                    f"        }}")
        else:
            field = self.pick(lambda key, v: isinstance(v, dict) and any(not isinstance(x, (dict, list)) for x in v.values()))
            inner = next(key for key, x in self.state[field].items() if not isinstance(x, (dict, list)))
            self.state[field] = self.state[field][inner]
            attribute = f"[FieldTypeChanged(typeof({self.type_name}), {cs_string(field)}, \"string\", \"object\")]"
            description = f"{self.label}' `{field}` is an object; older versions see only its `{inner}`."
            body = f"o[{cs_string(field)}] = o[{cs_string(field)}] is JsonObject inner ? inner[{cs_string(inner)}]?.DeepClone() : null;"
        self.code_field = field
        self.add(k, name, [attribute], description, f"{name}.Backward", body)


charge = load("charge.json")
invoice = load("invoice.json")
event = load("event.json")
event["data"] = {"object": charge}
newest = range(VERSIONS - 99, VERSIONS + 1)

resources = [
    Resource("Charge", "charge", "Charges", charge, newest),
    Resource("CodeCharge", "code_charge", "Code charges", charge, newest, code_every=10, seed=1, field_scoped=True),
    Resource("ObjectCodeCharge", "object_code_charge", "Object code charges", charge, newest, code_every=10, seed=1),
    Resource("BusyCharge", "busy_charge", "Busy charges", charge, range(1, VERSIONS + 1), seed=2),
    Resource("Invoice", "invoice", "Invoices", invoice, range(VERSIONS - 95, VERSIONS + 1, 10)),
    Resource("LineItem", "line_item", "Line items", invoice["lines"]["data"][0], range(VERSIONS - 98, VERSIONS + 1, 10)),
    Resource("Event", "event", "Events", event, range(VERSIONS - 97, VERSIONS + 1, 20)),
]
for resource in resources:
    resource.walk()

out = [
    "// <auto-generated/>",
    "// Written by Scripts/make_history.py; run it again rather than edit.",
    "#nullable enable",
    "",
    "using System.Globalization;",
    "using System.Text.Json.Nodes;",
    "using VersionKit;",
    "",
    "namespace VersionKit.Benchmarks.History;",
    "",
]
for resource in resources:
    for k, name, attributes, description, naive, code in sorted(resource.changes):
        out.append(f"[VersionChange({cs_string(version(k))}, {cs_string(description)})]")
        out += attributes
        if code is None:
            out.append(f"public sealed class {name};")
        else:
            out += [
                f"public sealed class {name}",
                "{",
                f"    [BackwardTransform(typeof({resource.type_name}){'' if code[1] is None else ', Field = ' + cs_string(code[1])})]",
                "    public static void Backward(JsonObject o)",
                "    {",
                f"        {code[0]}",
                "    }",
                "}",
            ]
        out.append("")

out += [
    "/// <summary>The same history as a naive chain: per resource, every change as a step on a JsonNode DOM, newest first.</summary>",
    "public static partial class NaiveHistory",
    "{",
    f"    /// <summary>The number of versions after the initial one.</summary>",
    f"    public const int VersionCount = {VERSIONS};",
    "",
]
for resource in resources:
    out.append(f"    /// <summary>The steps of {resource.type_name}, newest first; each knows its version's index.</summary>")
    out.append(f"    public static readonly NaiveStep[] {resource.type_name} =")
    out.append("    [")
    for k, name, attributes, description, naive, code in resource.changes:
        out.append(f"        new({k}, {naive}),")
    out.append("    ];")
    out.append("")
out[-1] = "}"
out.append("")

with open(os.path.join(ROOT, "History", "SyntheticHistory.cs"), "w") as f:
    f.write("\n".join(out))
for resource in resources:
    code = sum(1 for c in resource.changes if c[5] is not None)
    print(f"{resource.type_name}: {len(resource.changes)} changes ({code} code), {len(resource.state)} fields at the oldest version")
