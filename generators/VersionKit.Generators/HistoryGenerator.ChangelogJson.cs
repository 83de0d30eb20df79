using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace VersionKit.Generators
{
    public sealed partial class HistoryGenerator
    {
        /// <summary>
        /// The changelog as data, for tools that read a built assembly without loading it (the build-time changelog): the
        /// JSON of the runtime's <c>ApiChangelog.ToJson()</c>, written into an <c>[assembly: AssemblyMetadata]</c>. Indented
        /// with '\n' line ends; everything outside printable ASCII is escaped, so the same history gives the same bytes.
        /// </summary>
        internal static class ChangelogJson
        {
            public const string MetadataKey = "VersionKit.Changelog";

            /// <summary>Writes the assembly attribute that carries the changelog of <paramref name="plan"/>.</summary>
            public static void EmitAssemblyMetadata(SourceWriter writer, HistoryPlan plan)
            {
                string json = Write(plan);
                writer.Line("[assembly: global::System.Reflection.AssemblyMetadata(\"" + MetadataKey + "\", @\"" + json.Replace("\"", "\"\"") + "\")]");
            }

            public static string Write(HistoryPlan plan)
            {
                var versions = plan.Versions;
                var json = new JsonText();
                json.Open('{');
                json.Property("format").Raw("2");
                json.Property("history").String(plan.History!.TypeName);
                json.Property("releases").Open('[');
                foreach (var release in plan.Releases)
                {
                    json.Item().Open('{');
                    json.Property("version").String(versions[release.VersionIndex].Text);
                    json.Property("kind").String(ApiReleaseSyntax.KindName(release.Kind));
                    json.Property("notes").String(release.Notes);
                    json.Close('}');
                }

                json.Close(']');
                json.Property("changes").Open('[');

                // Internal changes apply, but the public changelog never names them.
                foreach (var change in plan.Changes.Where(c => !c.IsInternal))
                {
                    json.Item().Open('{');
                    json.Property("name").String(SimpleName(change.TypeName));
                    json.Property("version").String(versions[change.VersionIndex].Text);
                    json.Property("description").String(change.Description);
                    json.Property("title").String(change.Text?.Title);
                    json.Property("category").String(change.Text?.Category);
                    json.Property("breaking").Raw(change.IsBreaking ? "true" : "false");
                    json.Property("order").Raw(change.Order.ToString(CultureInfo.InvariantCulture));
                    json.Property("has_side_effects").Raw(change.HasSideEffects ? "true" : "false");
                    json.Property("has_code").Raw(change.HasCode ? "true" : "false");
                    json.Property("resources").Strings(change.Resources);
                    FieldChanges(json, "field_changes", "resource", change.FieldChanges);
                    json.Property("requests").Strings(change.Requests);
                    FieldChanges(json, "request_field_changes", "request", change.RequestFieldChanges);
                    json.Close('}');
                }

                json.Close(']');
                json.Property("resources").Open('[');
                foreach (var resource in plan.Resources)
                {
                    json.Item().Open('{');
                    json.Property("object").String(resource.ObjectName);
                    json.Property("shapes").Open('[');
                    foreach (var shape in resource.Shapes)
                    {
                        json.Item().Open('{');
                        json.Property("since").String(versions[shape.VersionIndex].Text);
                        json.Property("fields").Strings(shape.Fields);
                        json.Close('}');
                    }

                    json.Close(']');
                    json.Close('}');
                }

                json.Close(']');
                json.Close('}');
                return json.ToString() + "\n";
            }

            private static void FieldChanges(JsonText json, string name, string owner, EquatableArray<PlannedFieldChange> fields)
            {
                json.Property(name).Open('[');
                foreach (var field in fields)
                {
                    json.Item().Open('{');
                    json.Property(owner).String(field.Resource);
                    json.Property("kind").String(KindName(field.Kind));
                    json.Property("field").String(field.Field);
                    json.Property("before").String(field.Before);
                    json.Property("after").String(field.After);
                    json.Close('}');
                }

                json.Close(']');
            }

            private static string KindName(InstructionKind kind)
            {
                switch (kind)
                {
                    case InstructionKind.Renamed: return "renamed";
                    case InstructionKind.Removed: return "removed";
                    case InstructionKind.Added: return "added";
                    case InstructionKind.EnumValueAdded: return "enum_value_added";
                    default: return "type_changed";
                }
            }

            // 'global::Shop.Api.Outer.RenameTitle' -> 'RenameTitle', as Type.Name gives it at run time.
            internal static string SimpleName(string typeName)
            {
                int dot = typeName.LastIndexOf('.');
                int colon = typeName.LastIndexOf(':');
                return typeName.Substring(System.Math.Max(dot, colon) + 1);
            }

            /// <summary>Indented JSON, laid out as System.Text.Json's Utf8JsonWriter lays it out, so both sides read alike.</summary>
            private sealed class JsonText
            {
                private readonly StringBuilder _text = new StringBuilder();
                private readonly Stack<bool> _empty = new Stack<bool>();

                public JsonText Open(char bracket)
                {
                    _text.Append(bracket);
                    _empty.Push(true);
                    return this;
                }

                public JsonText Close(char bracket)
                {
                    if (!_empty.Pop())
                    {
                        NewLine(_empty.Count);
                    }

                    _text.Append(bracket);
                    return this;
                }

                public JsonText Item()
                {
                    if (!_empty.Peek())
                    {
                        _text.Append(',');
                    }

                    _empty.Pop();
                    _empty.Push(false);
                    NewLine(_empty.Count);
                    return this;
                }

                public JsonText Property(string name) => Item().String(name).Raw(": ");

                public JsonText Raw(string text)
                {
                    _text.Append(text);
                    return this;
                }

                public JsonText Strings(IEnumerable<string> values)
                {
                    Open('[');
                    foreach (string value in values)
                    {
                        Item().String(value);
                    }

                    return Close(']');
                }

                public JsonText String(string? value)
                {
                    if (value is null)
                    {
                        return Raw("null");
                    }

                    _text.Append('"');
                    foreach (char c in value)
                    {
                        switch (c)
                        {
                            case '"': _text.Append("\\\""); break;
                            case '\\': _text.Append("\\\\"); break;
                            case '\n': _text.Append("\\n"); break;
                            case '\r': _text.Append("\\r"); break;
                            case '\t': _text.Append("\\t"); break;
                            case '\b': _text.Append("\\b"); break;
                            case '\f': _text.Append("\\f"); break;
                            default:
                                if (c < ' ' || c > '~')
                                {
                                    _text.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
                                }
                                else
                                {
                                    _text.Append(c);
                                }

                                break;
                        }
                    }

                    _text.Append('"');
                    return this;
                }

                private void NewLine(int depth) => _text.Append('\n').Append(' ', depth * 2);

                public override string ToString() => _text.ToString();
            }
        }
    }
}
