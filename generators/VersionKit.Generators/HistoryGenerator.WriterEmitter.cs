using System.Collections.Generic;
using System.Linq;

namespace VersionKit.Generators
{
    public sealed partial class HistoryGenerator
    {
        /// <summary>
        /// The plan's stretches as code: per resource (and carrier) a writer on <c>Utf8JsonWriter</c> with one method per stretch,
        /// names pre-encoded, renamed fields under their old names, constants written as they are, value maps as comparisons,
        /// typed computations called directly, and values that nothing changes handed to the app's own contract.
        /// </summary>
        internal static class WriterEmitter
        {
            private const string Gen = Emitter.Gen;
            private const string W = "global::System.Text.Json.Utf8JsonWriter";
            private const string Text = "global::System.Text.Json.JsonEncodedText";
            private const string Scope = "in " + Gen + "RenderScope";

            public static void Emit(SourceWriter writer, HistoryPlan plan)
            {
                var models = new List<WriterModel>();
                foreach (var resource in plan.Resources)
                {
                    models.Add(new WriterModel(resource.TypeName, ClassName(models.Count, resource.TypeName), resource.ObjectName, resource.Properties, resource.Entries, resource.Stretches));
                }

                foreach (var carrier in plan.Carriers)
                {
                    var entries = carrier.Properties.Select((p, i) => new PlannedEntry(SourceKind.Property, i, null, -1, null, null, -2, null, EquatableArray<PlannedValueOp>.Empty)).ToEquatableArray();
                    var stretch = new PlannedStretch(0, -1, carrier.Properties.Select((p, i) => new PlannedField(p.JsonName, i, HoldsResources: false)).ToEquatableArray());
                    models.Add(new WriterModel(carrier.TypeName, ClassName(models.Count, carrier.TypeName), null, carrier.Properties, entries, new[] { stretch }.ToEquatableArray()));
                }

                writer.Line();
                writer.Line("/// <inheritdoc/>");
                writer.Open("protected override global::System.Collections.Generic.IEnumerable<" + Gen + "ResourceWriter> CreateWriters(" + Gen + "WriterContext context) => new " + Gen + "ResourceWriter[]");
                foreach (var model in models)
                {
                    writer.Line("new " + model.ClassName + "(context),");
                }

                writer.Close("};");
                foreach (var model in models)
                {
                    writer.Line();
                    new WriterModelEmitter(writer, model).Emit();
                }
            }

            private static string ClassName(int index, string typeName)
            {
                string simple = typeName.Split('<')[0].Replace("global::", string.Empty);
                simple = simple.Substring(simple.LastIndexOf('.') + 1);
                return "__" + simple + "Writer" + Emitter.I(index);
            }

            private sealed record WriterModel(
                string TypeName,
                string ClassName,
                string? ObjectName,
                EquatableArray<PlannedProperty> Properties,
                EquatableArray<PlannedEntry> Entries,
                EquatableArray<PlannedStretch> Stretches);

            private sealed class WriterModelEmitter
            {
                private readonly SourceWriter _w;
                private readonly WriterModel _model;
                private readonly List<string> _names = new List<string>();
                private readonly List<string> _writerTypes = new List<string>();
                private readonly SortedSet<int> _properties = new SortedSet<int>();

                public WriterModelEmitter(SourceWriter writer, WriterModel model)
                {
                    _w = writer;
                    _model = model;
                    foreach (var field in model.Stretches.SelectMany(s => s.Fields))
                    {
                        Name(field.Name);
                    }

                    foreach (var entry in model.Entries)
                    {
                        if (entry.ReadsName is { } read)
                        {
                            Name(read);
                        }

                        if (entry.Source == SourceKind.Property)
                        {
                            _properties.Add(entry.Property);
                        }

                        foreach (var shape in Outputs(entry))
                        {
                            WriterOf(shape);
                        }
                    }

                    foreach (int property in _properties)
                    {
                        WriterOf(model.Properties[property].Shape);
                    }
                }

                private bool IsResource => _model.ObjectName is not null;

                public void Emit()
                {
                    var holds = _model.Properties.Select(p => p.Shape).Where(s => s.WriterType is not null).Select(s => s.WriterType!).Distinct().ToList();
                    bool dynamic = _model.Properties.Any(p => p.Shape.Kind == ValueKind.Dynamic);
                    string owner = _model.TypeName;

                    _w.Line("/// <summary>Writes " + Xml(owner) + " at any version" + (IsResource ? ", one method per stretch of versions with one shape." : " (it holds resources).") + "</summary>");
                    _w.Open("private sealed class " + _model.ClassName + " : " + Gen + "ResourceWriter<" + owner + ">");
                    _w.Line("private readonly " + Text + "[] _n;");
                    foreach (int property in _properties)
                    {
                        _w.Line($"private readonly {Gen}PropertySlot<{owner}, {_model.Properties[property].Shape.TypeName}> _p{Emitter.I(property)};");
                    }

                    var live = LiveEntries();
                    foreach (int e in live)
                    {
                        var entry = _model.Entries[e];
                        if (Typed(entry) is { } typed)
                        {
                            _w.Line($"private readonly {Gen}ValueSlot<{typed.TypeName}> _o{Emitter.I(e)};");
                        }

                        if (entry.Source == SourceKind.Constant)
                        {
                            _w.Line($"private readonly {Gen}ConstantValue _k{Emitter.I(e)};");
                        }
                    }

                    for (int i = 0; i < _writerTypes.Count; i++)
                    {
                        _w.Line($"private {Gen}ResourceWriter<{_writerTypes[i]}>? _w{Emitter.I(i)};");
                    }

                    // The slow path's method groups, made into delegates once.
                    if (live.Any(e => _model.Entries[e].Reads == -1))
                    {
                        _w.Line($"private {Gen}ValueWriter<{owner}>? _write;");
                    }

                    foreach (int read in live.Where(e => _model.Entries[e].Reads >= 0).Select(e => _model.Entries[e].Reads).Distinct())
                    {
                        _w.Line($"private {Gen}FieldWriter<{owner}>? _e{Emitter.I(read)};");
                    }

                    foreach (int e in live)
                    {
                        if (CapturedType(e) is { } captured)
                        {
                            _w.Line($"private {Gen}ValueWriter<{captured}>? _v{Emitter.I(e)};");
                        }
                    }

                    _w.Line();
                    _w.Line("public " + _model.ClassName + "(" + Gen + "WriterContext c)");
                    _w.Line("    : base(c, " + Emitter.Literal(_model.ObjectName) + ", " + (holds.Count == 0 ? "global::System.Type.EmptyTypes" : "new global::System.Type[] { " + string.Join(", ", holds.Select(h => "typeof(" + h + ")")) + " }") + ", " + (dynamic ? "true" : "false") + ")");
                    _w.Open();
                    _w.Line("_n = c.Names(" + string.Join(", ", _names.Select(Emitter.Literal)) + ");");
                    foreach (int property in _properties)
                    {
                        var p = _model.Properties[property];
                        _w.Line($"_p{Emitter.I(property)} = c.Property<{owner}, {p.Shape.TypeName}>({Emitter.Literal(p.JsonName)});");
                    }

                    foreach (int e in live)
                    {
                        var entry = _model.Entries[e];
                        if (Typed(entry) is { } typed)
                        {
                            _w.Line($"_o{Emitter.I(e)} = c.Value<{typed.TypeName}>();");
                        }

                        if (entry.Source == SourceKind.Constant)
                        {
                            _w.Line($"_k{Emitter.I(e)} = c.Constant({Emitter.Literal(entry.ConstantJson)});");
                        }
                    }

                    _w.Close();
                    for (int i = 0; i < _writerTypes.Count; i++)
                    {
                        _w.Line();
                        _w.Line($"private {Gen}ResourceWriter<{_writerTypes[i]}> W{Emitter.I(i)} => _w{Emitter.I(i)} ??= Context.Writer<{_writerTypes[i]}>();");
                    }

                    _w.Line();
                    _w.Open("protected override void WriteStretch(" + W + " w, " + owner + " v, " + Scope + " s, int stretch)");
                    _w.Open("switch (stretch)");
                    for (int i = 0; i < _model.Stretches.Count; i++)
                    {
                        if (_model.Stretches[i].DomFrom < 0)
                        {
                            _w.Line($"case {Emitter.I(i)}: S{Emitter.I(i)}(w, v, s); return;");
                        }
                    }

                    _w.Line("default: throw new global::System.ArgumentOutOfRangeException(nameof(stretch));");
                    _w.Close();
                    _w.Close();

                    for (int i = 0; i < _model.Stretches.Count; i++)
                    {
                        var stretch = _model.Stretches[i];
                        if (stretch.DomFrom >= 0)
                        {
                            continue;
                        }

                        _w.Line();
                        _w.Open($"private void S{Emitter.I(i)}({W} w, {owner} v, {Scope} s)");
                        _w.Line(IsResource ? "s.Start(w, v);" : "w.WriteStartObject();");
                        foreach (var field in stretch.Fields)
                        {
                            _w.Line($"E{Emitter.I(field.Entry)}(w, _n[{Emitter.I(_names.IndexOf(field.Name))}], v, s);");
                        }

                        _w.Line("w.WriteEndObject();");
                        _w.Close();
                    }

                    foreach (int e in live)
                    {
                        _w.Line();
                        EmitEntry(e, _model.Entries[e]);
                    }

                    _w.Close();
                }

                /// <summary>The entries a writer writes: those of the stretches it writes itself, and those their computations read.</summary>
                private SortedSet<int> LiveEntries()
                {
                    var live = new SortedSet<int>();
                    var pending = new Stack<int>(_model.Stretches.Where(s => s.DomFrom < 0).SelectMany(s => s.Fields).Select(f => f.Entry));
                    while (pending.Count > 0)
                    {
                        int entry = pending.Pop();
                        if (live.Add(entry) && _model.Entries[entry].Reads >= 0)
                        {
                            pending.Push(_model.Entries[entry].Reads);
                        }
                    }

                    return live;
                }

                private void EmitEntry(int id, PlannedEntry entry)
                {
                    string owner = _model.TypeName;
                    bool simple = entry.Source == SourceKind.Property && entry.Ops.Count == 0;
                    if (simple)
                    {
                        _w.Line("[global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]");
                    }

                    _w.Open($"private void E{Emitter.I(id)}({W} w, {Text} n, {owner} v, {Scope} s)");
                    if (simple)
                    {
                        EmitProperty(entry.Property);
                        _w.Close();
                        EmitTypedWriter(id, entry);
                        return;
                    }

                    string resource = Emitter.Literal(_model.ObjectName);
                    var ops = entry.Ops;
                    int next = 0;
                    string x = "x";
                    TypeShape? shape = null;
                    string slot = string.Empty;
                    bool isProperty = false;
                    string? node = null;
                    int from = 0;
                    switch (entry.Source)
                    {
                        case SourceKind.Property:
                            var p = _model.Properties[entry.Property];
                            shape = p.Shape;
                            slot = "_p" + Emitter.I(entry.Property);
                            isProperty = true;
                            _w.Line($"var x = v.{p.Name};");
                            _w.Line($"if ({slot}.Skips(v, x)) return;");
                            break;
                        case SourceKind.TypedComputed:
                            shape = entry.Output!;
                            slot = "_o" + Emitter.I(id);
                            Call(shape.TypeName, "x", $"{entry.ChangeType}.{entry.Method}(v)", entry.ChangeType!, entry.VersionIndex);
                            break;
                        case SourceKind.Constant when ops.Count == 0:
                            // A literal holds no resource: written as it is.
                            _w.Line("w.WritePropertyName(n);");
                            _w.Line($"_k{Emitter.I(id)}.Write(w);");
                            _w.Close();
                            return;
                        case SourceKind.Constant:
                            node = "node";
                            _w.Line($"var node = _k{Emitter.I(id)}.ToNode();");
                            from = entry.VersionIndex - 1;
                            break;
                        default:
                            node = "node";
                            string holder = entry.Reads == -1
                                ? $"(global::System.Text.Json.Nodes.JsonObject)s.Capture({Emitter.I(entry.VersionIndex)}, v, _write ??= Write)!"
                                : $"s.CaptureField({Emitter.I(entry.VersionIndex)}, v, _n[{Emitter.I(_names.IndexOf(entry.ReadsName!))}], _e{Emitter.I(entry.Reads)} ??= E{Emitter.I(entry.Reads)})";
                            _w.Line($"var node = s.Compute({entry.ChangeType}.{entry.Method}, {holder}, typeof({entry.ChangeType}), {Emitter.I(entry.VersionIndex)}, {resource});");
                            from = entry.VersionIndex - 1;
                            break;
                    }

                    // Typed code comes first when there is any: it takes the property's current value.
                    if (node is null && next < ops.Count && ops[next].Kind == ValueOpKind.TypedCode)
                    {
                        var op = ops[next++];
                        shape = op.Output!;
                        slot = "_o" + Emitter.I(id);
                        isProperty = false;
                        Call(shape.TypeName, "y", $"{op.ChangeType}.{op.Method}(x!)", op.ChangeType, op.VersionIndex);
                        x = "y";
                    }

                    bool json = node is not null || ops.Skip(next).Any(o => o.Kind == ValueOpKind.JsonCode);
                    if (!json)
                    {
                        // Value maps on a typed value compare the JSON string the app writes for it.
                        var maps = ops.Skip(next).Where(o => o.Kind == ValueOpKind.Map).ToList();
                        _w.Line("w.WritePropertyName(n);");
                        if (maps.Count == 0)
                        {
                            WriteTyped(x, shape!, slot, isProperty);
                        }
                        else
                        {
                            _w.Line($"var text = {slot}.TextOf({x});");
                            _w.Line("var mapped = text;");
                            foreach (var map in maps)
                            {
                                _w.Line($"if (mapped == {Emitter.Literal(map.From)}) mapped = {Emitter.Literal(map.To)};");
                            }

                            _w.Open("if (!ReferenceEquals(mapped, text))");
                            _w.Line("w.WriteStringValue(mapped);");
                            _w.Close();
                            _w.Open("else");
                            WriteTyped(x, shape!, slot, isProperty);
                            _w.Close();
                        }

                        _w.Close();
                        EmitTypedWriter(id, entry);
                        return;
                    }

                    if (node is null)
                    {
                        // The typed value becomes JSON as it was at the version of the first code that reads it.
                        int at = ops.Skip(next).First(o => o.Kind == ValueOpKind.JsonCode).VersionIndex;
                        _w.Line($"var node = s.Capture({Emitter.I(at)}, {x}, _v{Emitter.I(id)} ??= V{Emitter.I(id)});");
                        from = at;
                    }

                    for (; next < ops.Count; next++)
                    {
                        var op = ops[next];
                        if (op.Kind == ValueOpKind.Documented)
                        {
                            continue;
                        }

                        if (op.Kind == ValueOpKind.Map)
                        {
                            _w.Line($"node = {Gen}RenderScope.Map(node, {Emitter.Literal(op.From)}, {Emitter.Literal(op.To)});");
                            continue;
                        }

                        if (from > op.VersionIndex)
                        {
                            _w.Line($"node = s.Down(node, {Emitter.I(from)}, {Emitter.I(op.VersionIndex)});");
                        }

                        _w.Line($"node = s.FieldCode({op.ChangeType}.{op.Method}, node, {Emitter.Literal(op.Field)}, typeof({op.ChangeType}), {Emitter.I(op.VersionIndex)}, {resource});");
                        from = op.VersionIndex - 1;
                    }

                    _w.Line("w.WritePropertyName(n);");
                    _w.Line($"s.WriteNode(w, node, {Emitter.I(from)});");
                    _w.Close();
                    EmitTypedWriter(id, entry);
                }

                /// <summary>The type of the typed value an entry captures as JSON for code that reads it, if it does.</summary>
                private string? CapturedType(int id)
                {
                    var entry = _model.Entries[id];
                    if (!entry.Ops.Any(o => o.Kind == ValueOpKind.JsonCode))
                    {
                        return null;
                    }

                    return entry.Ops[0].Kind == ValueOpKind.TypedCode ? entry.Ops[0].Output!.TypeName
                        : entry.Source == SourceKind.Property ? _model.Properties[entry.Property].Shape.TypeName
                        : entry.Source == SourceKind.TypedComputed ? entry.Output!.TypeName
                        : null;
                }

                // The typed value of an entry as a method, for the slow path to capture it as JSON.
                private void EmitTypedWriter(int id, PlannedEntry entry)
                {
                    if (!entry.Ops.Any(o => o.Kind == ValueOpKind.JsonCode))
                    {
                        return;
                    }

                    TypeShape shape;
                    string slot;
                    bool isProperty;
                    if (entry.Ops[0].Kind == ValueOpKind.TypedCode)
                    {
                        (shape, slot, isProperty) = (entry.Ops[0].Output!, "_o" + Emitter.I(id), false);
                    }
                    else if (entry.Source == SourceKind.Property)
                    {
                        (shape, slot, isProperty) = (_model.Properties[entry.Property].Shape, "_p" + Emitter.I(entry.Property), true);
                    }
                    else if (entry.Source == SourceKind.TypedComputed)
                    {
                        (shape, slot, isProperty) = (entry.Output!, "_o" + Emitter.I(id), false);
                    }
                    else
                    {
                        return;
                    }

                    _w.Line();
                    _w.Open($"private void V{Emitter.I(id)}({W} w, {shape.TypeName} x, {Scope} s)");
                    WriteTyped("x", shape, slot, isProperty);
                    _w.Close();
                }

                private void Call(string type, string variable, string call, string change, int versionIndex)
                {
                    _w.Line($"{type} {variable};");
                    _w.Open("try");
                    _w.Line($"{variable} = {call};");
                    _w.Close();
                    _w.Open("catch (global::System.Exception e)");
                    _w.Line($"throw s.Fail(e, typeof({change}), {Emitter.I(versionIndex)}, {Emitter.Literal(_model.ObjectName)});");
                    _w.Close();
                }

                private void EmitProperty(int index)
                {
                    var p = _model.Properties[index];
                    string slot = "_p" + Emitter.I(index);
                    string value = "v." + p.Name;
                    if (p.Shape.Kind == ValueKind.Plain)
                    {
                        if (Direct(p.Shape, value) is { } direct)
                        {
                            _w.Open($"if ({slot}.Direct)");
                            foreach (string line in direct)
                            {
                                _w.Line(line);
                            }

                            _w.Close();
                            _w.Open("else");
                            _w.Line($"{slot}.Write(w, n, v, {value});");
                            _w.Close();
                        }
                        else
                        {
                            _w.Line($"{slot}.Write(w, n, v, {value});");
                        }

                        return;
                    }

                    _w.Line($"var x = {value};");
                    _w.Line($"if ({slot}.Skips(v, x)) return;");
                    _w.Line("w.WritePropertyName(n);");
                    WriteTyped("x", p.Shape, slot, true);
                }

                /// <summary>How generated code writes a value of System.Text.Json's own types, as its built-in converters do.</summary>
                private static string[]? Direct(TypeShape shape, string value)
                {
                    string method = shape.Direct switch
                    {
                        DirectKind.String or DirectKind.Text => "WriteString",
                        DirectKind.Boolean => "WriteBoolean",
                        DirectKind.Number => "WriteNumber",
                        _ => string.Empty,
                    };
                    if (method.Length == 0)
                    {
                        return null;
                    }

                    string cast = shape.TypeKey.TrimEnd('?') switch
                    {
                        "byte" or "sbyte" or "short" => "(int)",
                        "ushort" => "(uint)",
                        _ => string.Empty,
                    };
                    return shape.IsNullableValueType
                        ? new[] { $"if ({value} is {{ }} d) w.{method}(n, {cast}d); else w.WriteNull(n);" }
                        : new[] { $"w.{method}(n, {cast}{value});" };
                }

                private void WriteTyped(string x, TypeShape shape, string slot, bool isProperty)
                {
                    switch (shape.Kind)
                    {
                        case ValueKind.Plain:
                            _w.Line(isProperty ? $"{slot}.WriteValue(w, {x});" : $"{slot}.Write(w, {x});");
                            break;
                        case ValueKind.Writer:
                            _w.Line($"{WriterOf(shape)}.Write(w, {x}, s);");
                            break;
                        case ValueKind.WriterList:
                            _w.Open($"if ({x} is null)");
                            _w.Line("w.WriteNullValue();");
                            _w.Close();
                            _w.Open("else");
                            _w.Line("w.WriteStartArray();");
                            _w.Open($"foreach (var item in {x})");
                            _w.Line($"{WriterOf(shape)}.Write(w, item, s);");
                            _w.Close();
                            _w.Line("w.WriteEndArray();");
                            _w.Close();
                            break;
                        default:
                            _w.Line($"s.WriteDynamic(w, {x}, {slot}.{(isProperty ? "Declared" : "TypeInfo")});");
                            break;
                    }
                }

                private string WriterOf(TypeShape shape)
                {
                    if (shape.WriterType is not { } type)
                    {
                        return string.Empty;
                    }

                    int index = _writerTypes.IndexOf(type);
                    if (index < 0)
                    {
                        index = _writerTypes.Count;
                        _writerTypes.Add(type);
                    }

                    return "W" + Emitter.I(index);
                }

                private void Name(string name)
                {
                    if (!_names.Contains(name))
                    {
                        _names.Add(name);
                    }
                }

                private static IEnumerable<TypeShape> Outputs(PlannedEntry entry)
                    => entry.Ops.Where(o => o.Output is not null).Select(o => o.Output!).Concat(entry.Output is null ? Enumerable.Empty<TypeShape>() : new[] { entry.Output });

                /// <summary>The typed value an entry writes through a value slot: a typed computation's or typed code's result.</summary>
                private static TypeShape? Typed(PlannedEntry entry)
                    => entry.Ops.Count > 0 && entry.Ops[0].Kind == ValueOpKind.TypedCode ? entry.Ops[0].Output
                        : entry.Source == SourceKind.TypedComputed ? entry.Output
                        : null;

                private static string Xml(string typeName)
                    => (typeName.StartsWith("global::", System.StringComparison.Ordinal) ? typeName.Substring(8) : typeName).Replace("global::", string.Empty).Replace("<", "&lt;").Replace(">", "&gt;");
            }
        }
    }
}
