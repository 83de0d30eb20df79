using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace VersionKit.Generators
{
    public sealed partial class HistoryGenerator
    {
        /// <summary>
        /// Symbols in, <see cref="RequestTypeModel"/>s out: a request type's fields and what each holds, by the rules
        /// System.Text.Json applies when it reads the type, and every request object its properties reach (in a property, a
        /// list, a dictionary's values), each once, so that request changes of a nested type apply wherever it sits.
        /// </summary>
        internal sealed class RequestTypes
        {
            private const int MaxDepth = 12;

            private static readonly SymbolDisplayFormat Key = SymbolDisplayFormat.FullyQualifiedFormat;

            private readonly Dictionary<string, RequestTypeModel> _types = new Dictionary<string, RequestTypeModel>(System.StringComparer.Ordinal);
            private readonly HashSet<string> _visiting = new HashSet<string>(System.StringComparer.Ordinal);

            /// <summary>Every request type met so far, by name.</summary>
            public EquatableArray<RequestTypeModel> Types
                => _types.Values.OrderBy(t => t.TypeName, System.StringComparer.Ordinal).ToEquatableArray();

            /// <summary>
            /// Why <paramref name="type"/> cannot be a request type (a request type is a class or struct whose properties are
            /// fields), or <see langword="null"/> when it can.
            /// </summary>
            public static string? Problem(ITypeSymbol type)
            {
                var kind = Classify(type, 0, null);
                return kind.Kind == RequestValueKind.Object ? null : "'" + type.ToDisplayString() + "' is " + Describe(type, kind);
            }

            /// <summary>Adds <paramref name="type"/> and the request objects it reaches; it must be one (<see cref="Problem"/> is null).</summary>
            public void Add(ITypeSymbol type) => Classify(type, 0, this);

            private static string Describe(ITypeSymbol type, RequestValueModel kind)
            {
                switch (kind.Kind)
                {
                    case RequestValueKind.List: return "a collection, not a class or struct with fields";
                    case RequestValueKind.Dictionary: return "a dictionary, not a class or struct with fields";
                    case RequestValueKind.String:
                    case RequestValueKind.Integer:
                    case RequestValueKind.Number:
                    case RequestValueKind.Boolean:
                        return "a single value, not a class or struct with fields";
                    default:
                        return type.TypeKind == TypeKind.Interface || type.IsAbstract
                            ? "abstract, and the request is read into a concrete type"
                            : type.TypeKind == TypeKind.Enum ? "an enum, not a class or struct with fields" : "read by a converter or as raw JSON, not field by field";
                }
            }

            /// <summary>What a value of <paramref name="type"/> is; with <paramref name="walker"/>, request objects are added to it.</summary>
            private static RequestValueModel Classify(ITypeSymbol type, int depth, RequestTypes? walker)
            {
                if (type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable)
                {
                    return Classify(nullable.TypeArguments[0], depth, walker);
                }

                switch (TypeShapes.Direct(type))
                {
                    case DirectKind.String:
                    case DirectKind.Text:
                        return new RequestValueModel(RequestValueKind.String);
                    case DirectKind.Boolean:
                        return new RequestValueModel(RequestValueKind.Boolean);
                    case DirectKind.Number:
                        bool fraction = type.SpecialType is SpecialType.System_Single or SpecialType.System_Double or SpecialType.System_Decimal;
                        return new RequestValueModel(fraction ? RequestValueKind.Number : RequestValueKind.Integer, type.ToDisplayString(Key));
                }

                string name = type.ToDisplayString(Key);
                if (type.SpecialType == SpecialType.System_Char || name is "global::System.DateOnly" or "global::System.TimeOnly" or "global::System.TimeSpan" or "global::System.Uri" or "byte[]")
                {
                    return new RequestValueModel(RequestValueKind.String);
                }

                if (type.SpecialType != SpecialType.None || type.TypeKind is TypeKind.Enum or TypeKind.Dynamic or TypeKind.Pointer or TypeKind.FunctionPointer or TypeKind.Delegate or TypeKind.TypeParameter
                    || TypeShapes.IsRawJson(type) || TypeShapes.Attribute(type, TypeShapes.JsonConverterAttribute) is not null
                    || TypeShapes.Attribute(type, "System.Text.Json.Serialization.JsonPolymorphicAttribute") is not null
                    || TypeShapes.Attribute(type, "System.Text.Json.Serialization.JsonDerivedTypeAttribute") is not null
                    || depth > MaxDepth)
                {
                    return new RequestValueModel(RequestValueKind.Any);
                }

                if (TypeShapes.DictionaryValue(type) is { } value)
                {
                    return new RequestValueModel(RequestValueKind.Dictionary, null, Classify(value, depth + 1, walker));
                }

                if (type is IArrayTypeSymbol { Rank: > 1 })
                {
                    return new RequestValueModel(RequestValueKind.Any);
                }

                if (TypeShapes.Element(type) is { } element)
                {
                    return new RequestValueModel(RequestValueKind.List, null, Classify(element, depth + 1, walker));
                }

                if (type.TypeKind == TypeKind.Interface || type.IsAbstract || TypeShapes.IsEnumerable(type) || type is not INamedTypeSymbol)
                {
                    return new RequestValueModel(RequestValueKind.Any);
                }

                // A request object: generated code names it with typeof, so it must be reachable; one that is not is taken as it comes.
                if (walker is not null && !TypeShapes.Reachable(type))
                {
                    return new RequestValueModel(RequestValueKind.Any);
                }

                string key = TypeShapes.Key_(type);
                if (walker is not null && !walker._types.ContainsKey(key) && walker._visiting.Add(key))
                {
                    try
                    {
                        var properties = TypeShapes.Serialized(type).Select(p => new RequestPropertyModel(
                            TypeShapes.Identifier(p.Property.Name),
                            p.JsonName,
                            p.HasConverter ? new RequestValueModel(RequestValueKind.Any) : Classify(p.Property.Type, depth + 1, walker))).ToEquatableArray();
                        walker._types[key] = new RequestTypeModel(key, type.Name, properties);
                    }
                    finally
                    {
                        walker._visiting.Remove(key);
                    }
                }

                return new RequestValueModel(RequestValueKind.Object, key);
            }
        }
    }
}
