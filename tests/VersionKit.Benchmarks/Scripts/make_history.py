#!/usr/bin/env python3
"""Writes History/SyntheticHistory.cs: the benchmark's synthetic version history, and the same history as a naive chain.

Run once from the project folder (python3 Scripts/make_history.py); the output is checked in. The history has 501 versions
(2011-08-01 and 500 weekly versions after it) and these changes, each one instruction or one code transformation:

- Charge (A): one declarative change in each of the newest 100 versions (renames, removals given back with constants,
  enum mappings, hidden added fields, in turn);
- CodeCharge (B): the same, except that every 10th change is code (a number or a boolean turned into a string, an object
  collapsed into one of its values): 90 declarative and 10 code, each code transformation TYPED and declaring the one field it
  touches ([BackwardTransform(..., Field = "...")] static TOld Backward(TField value)), the documented default;
- JsonCodeCharge (B-json): the changes of B, the code in its JSON form on the one field
  ([BackwardTransform(..., Field = "...")] static void Backward(JsonObject o));
- ObjectCodeCharge (B'): the changes of B, the code in its JSON form declaring no field, so that it runs on the whole
  resource;
- ComputedCharge (E): one declarative change in each of the newest 100 versions, except that every 10th is a removed
  field whose old value is a typed computation from the C# object ([FieldRemoved(..., ValueFrom = ...)] static T M(R r)),
  of ten different types;
- BusyCharge (D): one declarative change in every one of the 500 versions;
- QuietCharge (C): none, though 500 versions lie between its oldest and newest version;
- Invoice, LineItem and Event: 10, 10 and 5 declarative changes among the newest 100 versions.

The walk runs back from the current shape, newest change first, exactly as the generator checks history: each change
names fields that exist at its point, and typed code only takes fields that are still a property of the C# object with
their current value (as the generator requires, VK0020). The naive chain applies the same changes to a JsonNode DOM by
hand, with no VersionKit code, one change after another; for a typed computation it calls the same C# method on the
object and puts its result in the DOM.
"""
import datetime
import json
import os
import re

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


def pascal(name):
    return "".join(part[:1].upper() + part[1:] for part in name.split("_"))


def read_classes():
    """The C# properties of Resources/StripeResources.cs, class by class: what typed code takes and returns."""
    classes = {}
    current = None
    with open(os.path.join(ROOT, "Resources", "StripeResources.cs")) as f:
        for line in f:
            header = re.match(r"public (?:sealed|abstract) class (\w+)", line)
            if header:
                current = classes.setdefault(header.group(1), {})
                continue
            prop = re.match(r"\s+public ([\w<>?, ]+) (\w+) (?:\{ get; init; \}|=>)", line)
            if prop and current is not None:
                current[prop.group(2)] = prop.group(1)
    return classes


CLASSES = read_classes()
CHARGE_PROPERTIES = CLASSES["ChargeFields"]


def rename_in_place(state, old_key, new_key):
    return {(new_key if k == old_key else k): v for k, v in state.items()}


def root(field):
    return field.split("_v")[0]


# The typed computations of ComputedCharge (E), in turn: the C# return type, the body on the charge `c`, and the value
# the body gives for Data/charge.json (what later changes of the walk see in the field).
def computations(charge):
    return [
        ("long", "c.Amount - c.AmountRefunded", charge["amount"] - charge["amount_refunded"]),
        ("bool", "c.Status == \"succeeded\"", charge["status"] == "succeeded"),
        ("string?", "c.Outcome?.Type", charge["outcome"]["type"]),
        ("double", "c.Amount / 100.0", charge["amount"] / 100.0),
        ("int", "c.Refunds?.Data?.Count ?? 0", len(charge["refunds"]["data"])),
        ("long?", "c.AmountCaptured > 0 ? c.AmountCaptured : null", charge["amount_captured"] or None),
        ("Address?", "c.BillingDetails?.Address", charge["billing_details"]["address"]),
        ("string", "c.Disputed ? \"disputed\" : \"undisputed\"", "disputed" if charge["disputed"] else "undisputed"),
        ("long", "c.Created * 1000", charge["created"] * 1000),
        ("Dictionary<string, string>?", "c.Metadata", charge["metadata"]),
    ]


class Resource:
    def __init__(self, type_name, object_name, label, payload, changes_at, code_every=0, code_form=None, computed_every=0, seed=0):
        self.type_name = type_name
        self.label = label
        self.state = dict(payload)
        self.state["object"] = object_name
        # The fields that are still a property of the C# object with its current value: only those can typed code take.
        self.properties = {k: pascal(k) for k in self.state} if type_name.endswith("Charge") else {}
        self.changes_at = sorted(changes_at, reverse=True)  # newest first
        self.code_every = code_every
        self.code_form = code_form  # "typed", "json" (on the field) or "object" (on the whole resource)
        self.computed_every = computed_every
        self.computations = computations(payload) if computed_every else []
        self.pointer = seed
        # (k, class name, attributes, description, naive step, body): body is None for a declaration, else the class's members
        self.changes = []
        self.naive_methods = []

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
            elif self.computed_every and (i + 1) % self.computed_every == 0:
                self.computed(k, name, i // self.computed_every)
            else:
                [self.rename, self.restore, self.map_value, self.hide][i % 4](k, name)

    def add(self, k, name, attributes, description, naive, body=None):
        self.changes.append((k, name, attributes, description, naive, body))

    def rename(self, k, name):
        new = self.pick()
        old = f"{root(new)}_v{k}"
        assert old not in self.state
        self.state = rename_in_place(self.state, new, old)
        if new in self.properties:
            self.properties[old] = self.properties.pop(new)
        self.add(k, name, [f"[FieldRenamed(typeof({self.type_name}), {cs_string(old)}, {cs_string(new)})]"],
                 f"{self.label}: `{old}` is now called `{new}`.",
                 f"(o, _) => NaiveJson.Rename(o, {cs_string(new)}, {cs_string(old)})")

    def restore(self, k, name):
        field = f"legacy_{k}"
        assert field not in self.state
        value, literal = [(f"value {k}", cs_string(f"value {k}")), (k, str(k)), (k % 3 == 0, "true" if k % 3 == 0 else "false")][k % 3]
        self.state[field] = value
        # Numbers read from JSON are longs to code that asks (TryGetValue<long>); the naive chain writes them so.
        naive_literal = literal + "L" if isinstance(value, int) and not isinstance(value, bool) else literal
        self.add(k, name, [f"[FieldRemoved(typeof({self.type_name}), {cs_string(field)}, Value = {literal})]"],
                 f"{self.label} no longer carry `{field}`; older versions see `{json.dumps(value)}`.",
                 f"(o, _) => o[{cs_string(field)}] = {naive_literal}")

    def map_value(self, k, name):
        field = self.pick(lambda key, v: isinstance(v, str))
        value = self.state[field]
        legacy = f"{root(field)}_{k}"
        self.state[field] = legacy
        self.properties.pop(field, None)
        self.add(k, name, [f"[EnumValueAdded(typeof({self.type_name}), {cs_string(field)}, {cs_string(value)}, {cs_string(legacy)})]"],
                 f"{self.label}' `{field}` can be `{value}`; older versions see `{legacy}`.",
                 f"(o, _) => NaiveJson.MapValue(o, {cs_string(field)}, {cs_string(value)}, {cs_string(legacy)})")

    def hide(self, k, name):
        # Objects stay: code changes collapse them, and an old shape as deep as the current one costs what it costs
        # because of its chain, not because it lost its nested objects.
        field = self.pick(lambda key, v: not isinstance(v, dict))
        del self.state[field]
        self.properties.pop(field, None)
        self.add(k, name, [f"[FieldAdded(typeof({self.type_name}), {cs_string(field)})]"],
                 f"{self.label} have a `{field}`.",
                 f"(o, _) => o.Remove({cs_string(field)})")

    def code_change(self, k, name, n):
        # Typed code takes the property's current value, so every form picks among the fields that still hold one: the
        # three resources with code keep the same changes.
        if n % 2 == 0:
            field = self.pick(lambda key, v: key in self.properties and isinstance(v, int))
            prop = self.properties[field]
            if isinstance(self.state[field], bool):
                self.state[field] = "true" if self.state[field] else "false"
                attribute = f"[FieldTypeChanged(typeof({self.type_name}), {cs_string(field)}, \"string\", \"boolean\")]"
                description = f"{self.label}' `{field}` is a boolean; older versions see it as a string."
                json_body = [f"if (o[{cs_string(field)}] is JsonValue value && value.TryGetValue(out bool flag))",
                             "{",
                             f"    o[{cs_string(field)}] = flag ? \"true\" : \"false\";",
                             "}"]
                typed = ("string", "bool value", "value ? \"true\" : \"false\"")
            else:
                self.state[field] = str(self.state[field])
                attribute = f"[FieldTypeChanged(typeof({self.type_name}), {cs_string(field)}, \"string\", \"integer\")]"
                description = f"{self.label}' `{field}` is a number; older versions see it as a string."
                json_body = [f"if (o[{cs_string(field)}] is JsonValue value && value.TryGetValue(out long number))",
                             "{",
                             f"    o[{cs_string(field)}] = number.ToString(CultureInfo.InvariantCulture);",
                             "}"]
                typed = ("string", f"{CHARGE_PROPERTIES[prop]} value", "value.ToString(CultureInfo.InvariantCulture)")
        else:
            field = self.pick(lambda key, v: key in self.properties and isinstance(v, dict)
                              and any(not isinstance(x, (dict, list)) for x in v.values()))
            prop = self.properties[field]
            inner = next(key for key, x in self.state[field].items() if not isinstance(x, (dict, list)))
            self.state[field] = self.state[field][inner]
            attribute = f"[FieldTypeChanged(typeof({self.type_name}), {cs_string(field)}, \"string\", \"object\")]"
            description = f"{self.label}' `{field}` is an object; older versions see only its `{inner}`."
            json_body = [f"o[{cs_string(field)}] = o[{cs_string(field)}] is JsonObject inner ? inner[{cs_string(inner)}]?.DeepClone() : null;"]
            property_type = CHARGE_PROPERTIES[prop]
            inner_type = CLASSES[property_type.rstrip("?")][pascal(inner)]
            result = inner_type if inner_type.endswith("?") else inner_type + "?"
            typed = (result, f"{property_type} value", f"value?.{pascal(inner)}")
        self.properties.pop(field)

        if self.code_form == "typed":
            body = [f"[BackwardTransform(typeof({self.type_name}), Field = {cs_string(field)})]",
                    f"public static {typed[0]} Backward({typed[1]}) => {typed[2]};"]
            # The naive chain is written by hand on the JSON: the same edit as the JSON form's.
            method = f"{name}Json"
            self.naive_methods.append((method, json_body))
            naive = f"(o, _) => {method}(o)"
        else:
            scope = f", Field = {cs_string(field)}" if self.code_form == "json" else ""
            body = [f"[BackwardTransform(typeof({self.type_name}){scope})]",
                    "public static void Backward(JsonObject o)",
                    "{"] + ["    " + line for line in json_body] + ["}"]
            naive = f"(o, _) => {name}.Backward(o)"
        self.add(k, name, [attribute], description, naive, body)

    def computed(self, k, name, n):
        result, expression, value = self.computations[n % len(self.computations)]
        field = f"computed_{k}"
        assert field not in self.state
        self.state[field] = value
        self.add(k, name, [f"[FieldRemoved(typeof({self.type_name}), {cs_string(field)}, ValueFrom = nameof(Value))]"],
                 f"{self.label} no longer carry `{field}`; older versions see it computed from the charge.",
                 f"(o, c) => o[{cs_string(field)}] = JsonSerializer.SerializeToNode({name}.Value(({self.type_name})c), BenchmarkJsonContext.Default.{json_type_info(result)})",
                 [f"public static {result} Value({self.type_name} c) => {expression};"])


def json_type_info(cs_type):
    """The property of BenchmarkJsonContext that holds the contract of a C# type."""
    return {
        "long": "Int64", "bool": "Boolean", "string?": "String", "string": "String", "double": "Double", "int": "Int32",
        "long?": "NullableInt64", "Address?": "Address", "Dictionary<string, string>?": "DictionaryStringString",
    }[cs_type]


charge = load("charge.json")
invoice = load("invoice.json")
event = load("event.json")
event["data"] = {"object": charge}
newest = range(VERSIONS - 99, VERSIONS + 1)

resources = [
    Resource("Charge", "charge", "Charges", charge, newest),
    Resource("CodeCharge", "code_charge", "Code charges", charge, newest, code_every=10, code_form="typed", seed=1),
    Resource("JsonCodeCharge", "json_code_charge", "JSON code charges", charge, newest, code_every=10, code_form="json", seed=1),
    Resource("ObjectCodeCharge", "object_code_charge", "Object code charges", charge, newest, code_every=10, code_form="object", seed=1),
    Resource("ComputedCharge", "computed_charge", "Computed charges", charge, newest, computed_every=10, seed=3),
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
    "using System.Text.Json;",
    "using System.Text.Json.Nodes;",
    "using VersionKit;",
    "",
    "namespace VersionKit.Benchmarks.History;",
    "",
]
for resource in resources:
    for k, name, attributes, description, naive, body in sorted(resource.changes):
        out.append(f"[VersionChange({cs_string(version(k))}, {cs_string(description)})]")
        out += attributes
        if body is None:
            out.append(f"public sealed class {name};")
        else:
            out += [f"public sealed class {name}", "{"] + ["    " + line for line in body] + ["}"]
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
    for k, name, attributes, description, naive, body in resource.changes:
        out.append(f"        new({k}, {naive}),")
    out.append("    ];")
    out.append("")
for resource in resources:
    for method, body in resource.naive_methods:
        out.append(f"    private static void {method}(JsonObject o)")
        out.append("    {")
        out += ["        " + line for line in body]
        out.append("    }")
        out.append("")
out[-1] = "}"
out.append("")

with open(os.path.join(ROOT, "History", "SyntheticHistory.cs"), "w") as f:
    f.write("\n".join(out))
for resource in resources:
    code = sum(1 for c in resource.changes if c[5] is not None and "BackwardTransform" in c[5][0])
    computed = sum(1 for c in resource.changes if c[5] is not None) - code
    print(f"{resource.type_name}: {len(resource.changes)} changes ({code} code, {computed} typed computations), "
          f"{len(resource.state)} fields at the oldest version")
