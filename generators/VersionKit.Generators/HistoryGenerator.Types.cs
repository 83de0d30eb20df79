using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace VersionKit.Generators
{
    public sealed partial class HistoryGenerator
    {
        /// <summary>A property System.Text.Json serializes: the symbol, the name from [JsonPropertyName], its order, and whether [JsonConverter] marks it.</summary>
        internal readonly struct SerializedProperty
        {
            public SerializedProperty(IPropertySymbol property, string? jsonName, int order, bool hasConverter)
            {
                Property = property;
                JsonName = jsonName;
                Order = order;
                HasConverter = hasConverter;
            }

            public IPropertySymbol Property { get; }

            public string? JsonName { get; }

            public int Order { get; }

            public bool HasConverter { get; }
        }

        /// <summary>
        /// Symbols in, <see cref="TypeShape"/>s out: how each value a resource serializes is written, by the rules
        /// System.Text.Json applies to the type (a collection is anything enumerable, a dictionary anything with string keys...),
        /// and which carriers (types that hold resources without being one) need a writer of their own.
        /// </summary>
        internal sealed class TypeShapes
        {
            private const int MaxDepth = 12;

            private static readonly SymbolDisplayFormat Annotated = SymbolDisplayFormat.FullyQualifiedFormat
                .AddMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier);

            private static readonly SymbolDisplayFormat Key = SymbolDisplayFormat.FullyQualifiedFormat;

            private readonly Dictionary<ITypeSymbol, TypeShape> _shapes = new Dictionary<ITypeSymbol, TypeShape>(SymbolEqualityComparer.IncludeNullability);
            private readonly Dictionary<string, CarrierModel> _carriers = new Dictionary<string, CarrierModel>(System.StringComparer.Ordinal);
            private readonly HashSet<ITypeSymbol> _visiting = new HashSet<ITypeSymbol>(SymbolEqualityComparer.Default);
            private int _cycles;

            /// <summary>The carriers met so far, by type name.</summary>
            public EquatableArray<CarrierModel> Carriers
                => _carriers.Values.OrderBy(c => c.TypeName, System.StringComparer.Ordinal).ToEquatableArray();

            /// <summary>The public, readable instance properties of <paramref name="type"/>, as System.Text.Json lists them: the type's own, then its bases', by [JsonPropertyOrder].</summary>
            public EquatableArray<PropertyModel> Properties(ITypeSymbol type)
                => Serialized(type).Select(p => new PropertyModel(
                    Identifier(p.Property.Name),
                    p.JsonName,
                    p.Order,
                    p.HasConverter ? PlainShape(p.Property.Type) : Shape(p.Property.Type, 0))).ToEquatableArray();

            /// <summary>
            /// The properties System.Text.Json serializes, in its order: the most derived type's first, then its bases', an
            /// override or a 'new' member once, sorted by [JsonPropertyOrder] keeping declaration order among equals.
            /// </summary>
            public static List<SerializedProperty> Serialized(ITypeSymbol type)
            {
                var properties = new List<SerializedProperty>();
                var seen = new HashSet<string>();
                for (var current = type; current is not null && current.SpecialType != SpecialType.System_Object && current.SpecialType != SpecialType.System_ValueType; current = current.BaseType)
                {
                    foreach (var property in current.GetMembers().OfType<IPropertySymbol>())
                    {
                        if (property.IsStatic || property.IsIndexer || property.DeclaredAccessibility != Accessibility.Public
                            || property.GetMethod is null || property.GetMethod.DeclaredAccessibility != Accessibility.Public
                            || IsIgnored(property) || !seen.Add(property.Name))
                        {
                            continue;
                        }

                        string? jsonName = Attribute(property, JsonPropertyNameAttribute)?.ConstructorArguments.FirstOrDefault().Value as string;
                        int order = Attribute(property, "System.Text.Json.Serialization.JsonPropertyOrderAttribute")?.ConstructorArguments.FirstOrDefault().Value is int o ? o : 0;
                        properties.Add(new SerializedProperty(property, jsonName, order, Attribute(property, JsonConverterAttribute) is not null));
                    }
                }

                return properties.Select((p, i) => (p, i)).OrderBy(x => x.p.Order).ThenBy(x => x.i).Select(x => x.p).ToList();
            }

            /// <summary>How a value of <paramref name="type"/> is written.</summary>
            public TypeShape Shape(ITypeSymbol type) => Shape(type, 0);

            private TypeShape Shape(ITypeSymbol type, int depth)
            {
                if (_shapes.TryGetValue(type, out var known))
                {
                    return known;
                }

                // A shape decided while a cycle was open depends on what holds it: kept only when no cycle was met below.
                int cycles = _cycles;
                var shape = Classify(type, depth);
                if (_cycles == cycles)
                {
                    _shapes[type] = shape;
                }

                return shape;
            }

            private TypeShape Classify(ITypeSymbol type, int depth)
            {
                if (type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable)
                {
                    var inner = Shape(nullable.TypeArguments[0], depth);
                    return inner.Kind == ValueKind.Plain
                        ? new TypeShape(Name(type), KeyOf(type), ValueKind.Plain, null, inner.Direct, true, false, inner.IsEnum)
                        : With(type, ValueKind.Dynamic);
                }

                if (Direct(type) is var direct && direct != DirectKind.None)
                {
                    return new TypeShape(Name(type), KeyOf(type), ValueKind.Plain, null, direct, false, type.SpecialType == SpecialType.System_String, false);
                }

                if (type.TypeKind == TypeKind.Enum)
                {
                    return new TypeShape(Name(type), KeyOf(type), ValueKind.Plain, null, DirectKind.None, false, false, true);
                }

                if (type.SpecialType == SpecialType.System_Object || type.TypeKind == TypeKind.Dynamic || IsRawJson(type))
                {
                    return With(type, ValueKind.Dynamic);
                }

                if (IsResource(type))
                {
                    return Reachable(type) ? With(type, ValueKind.Writer, Key_(type)) : With(type, ValueKind.Dynamic);
                }

                if (type.SpecialType != SpecialType.None || type.TypeKind is TypeKind.Pointer or TypeKind.FunctionPointer or TypeKind.Delegate || Attribute(type, JsonConverterAttribute) is not null)
                {
                    return PlainShape(type);
                }

                if (Attribute(type, "System.Text.Json.Serialization.JsonPolymorphicAttribute") is not null || Attribute(type, "System.Text.Json.Serialization.JsonDerivedTypeAttribute") is not null)
                {
                    return With(type, ValueKind.Dynamic);
                }

                if (depth > MaxDepth)
                {
                    return With(type, ValueKind.Dynamic);
                }

                if (DictionaryValue(type) is { } value)
                {
                    return Shape(value, depth + 1).Kind == ValueKind.Plain ? PlainShape(type) : With(type, ValueKind.Dynamic);
                }

                if (Element(type) is { } element)
                {
                    if (element.SpecialType == SpecialType.System_Byte && type is IArrayTypeSymbol)
                    {
                        return PlainShape(type);
                    }

                    var item = Shape(element, depth + 1);
                    return item.Kind switch
                    {
                        ValueKind.Plain => PlainShape(type),
                        ValueKind.Writer => new TypeShape(Name(type), KeyOf(type), ValueKind.WriterList, item.WriterType, DirectKind.None, false, false, false),
                        _ => With(type, ValueKind.Dynamic),
                    };
                }

                if (type.TypeKind == TypeKind.Interface || type.IsAbstract || IsEnumerable(type))
                {
                    return With(type, ValueKind.Dynamic);
                }

                // A plain class or struct: a carrier if any of its properties can hold a resource.
                var definition = type.WithNullableAnnotation(NullableAnnotation.None);
                if (!_visiting.Add(definition))
                {
                    // Met again while its own properties are read: what holds it decides.
                    _cycles++;
                    return PlainShape(type);
                }

                try
                {
                    var properties = Properties(type);
                    if (properties.All(p => p.Shape.Kind == ValueKind.Plain))
                    {
                        return PlainShape(type);
                    }

                    if (!Reachable(type))
                    {
                        return With(type, ValueKind.Dynamic);
                    }

                    string key = Key_(type);
                    _carriers[key] = new CarrierModel(key, properties);
                    return With(type, ValueKind.Writer, key);
                }
                finally
                {
                    _visiting.Remove(definition);
                }
            }

            private static TypeShape PlainShape(ITypeSymbol type)
                => new TypeShape(Name(type), KeyOf(type), ValueKind.Plain, null, DirectKind.None, false, type.SpecialType == SpecialType.System_String, type.TypeKind == TypeKind.Enum);

            private static TypeShape With(ITypeSymbol type, ValueKind kind, string? writer = null)
                => new TypeShape(Name(type), KeyOf(type), kind, writer, DirectKind.None, false, false, false);

            internal static DirectKind Direct(ITypeSymbol type)
            {
                switch (type.SpecialType)
                {
                    case SpecialType.System_String:
                        return DirectKind.String;
                    case SpecialType.System_Boolean:
                        return DirectKind.Boolean;
                    case SpecialType.System_Byte:
                    case SpecialType.System_SByte:
                    case SpecialType.System_Int16:
                    case SpecialType.System_UInt16:
                    case SpecialType.System_Int32:
                    case SpecialType.System_UInt32:
                    case SpecialType.System_Int64:
                    case SpecialType.System_UInt64:
                    case SpecialType.System_Single:
                    case SpecialType.System_Double:
                    case SpecialType.System_Decimal:
                        return DirectKind.Number;
                    case SpecialType.System_DateTime:
                        return DirectKind.Text;
                }

                string name = type.ToDisplayString(Key);
                return name is "global::System.DateTimeOffset" or "global::System.Guid" ? DirectKind.Text : DirectKind.None;
            }

            internal static bool IsRawJson(ITypeSymbol type)
            {
                for (var current = type; current is not null; current = current.BaseType)
                {
                    string name = current.ToDisplayString(Key);
                    if (name is "global::System.Text.Json.Nodes.JsonNode" or "global::System.Text.Json.JsonElement" or "global::System.Text.Json.JsonDocument")
                    {
                        return true;
                    }
                }

                return false;
            }

            public static bool IsResource(ITypeSymbol type) => Attribute(type, "VersionKit.ApiResourceAttribute") is not null;

            internal static ITypeSymbol? DictionaryValue(ITypeSymbol type)
            {
                foreach (var candidate in SelfAndInterfaces(type))
                {
                    if (candidate is INamedTypeSymbol { IsGenericType: true } named
                        && named.OriginalDefinition.ToDisplayString(Key) is "global::System.Collections.Generic.IDictionary<TKey, TValue>" or "global::System.Collections.Generic.IReadOnlyDictionary<TKey, TValue>")
                    {
                        return named.TypeArguments[1];
                    }
                }

                return null;
            }

            internal static ITypeSymbol? Element(ITypeSymbol type)
            {
                if (type is IArrayTypeSymbol array)
                {
                    return array.Rank == 1 ? array.ElementType : null;
                }

                foreach (var candidate in SelfAndInterfaces(type))
                {
                    if (candidate is INamedTypeSymbol { IsGenericType: true } named
                        && named.OriginalDefinition.SpecialType == SpecialType.System_Collections_Generic_IEnumerable_T)
                    {
                        return named.TypeArguments[0];
                    }
                }

                return null;
            }

            internal static bool IsEnumerable(ITypeSymbol type)
                => SelfAndInterfaces(type).Any(t => t.SpecialType == SpecialType.System_Collections_IEnumerable);

            private static IEnumerable<ITypeSymbol> SelfAndInterfaces(ITypeSymbol type)
            {
                yield return type;
                foreach (var face in type.AllInterfaces)
                {
                    yield return face;
                }
            }

            /// <summary>Whether generated code can name <paramref name="type"/> and every type in its name.</summary>
            internal static bool Reachable(ITypeSymbol type)
            {
                if (type is IArrayTypeSymbol array)
                {
                    return Reachable(array.ElementType);
                }

                if (type is not INamedTypeSymbol named)
                {
                    return false;
                }

                for (INamedTypeSymbol? current = named; current is not null; current = current.ContainingType)
                {
                    if (current.DeclaredAccessibility is not (Accessibility.Public or Accessibility.Internal or Accessibility.ProtectedOrInternal) || current.IsAnonymousType)
                    {
                        return false;
                    }
                }

                return named.TypeArguments.All(Reachable);
            }

            private static bool IsIgnored(IPropertySymbol property)
            {
                foreach (var data in property.GetAttributes())
                {
                    string? name = data.AttributeClass?.ToDisplayString();
                    if (name == "System.Text.Json.Serialization.JsonExtensionDataAttribute")
                    {
                        return true;
                    }

                    // [JsonIgnore] alone, or with Condition = Always (1), removes the property; other conditions keep it.
                    if (name == "System.Text.Json.Serialization.JsonIgnoreAttribute")
                    {
                        var condition = data.NamedArguments.FirstOrDefault(a => a.Key == "Condition").Value.Value;
                        return condition is null || condition is 1;
                    }
                }

                return false;
            }

            private const string JsonPropertyNameAttribute = "System.Text.Json.Serialization.JsonPropertyNameAttribute";
            internal const string JsonConverterAttribute = "System.Text.Json.Serialization.JsonConverterAttribute";

            internal static AttributeData? Attribute(ISymbol symbol, string name)
                => symbol.GetAttributes().FirstOrDefault(a => a.AttributeClass?.ToDisplayString() == name);

            private static string Name(ITypeSymbol type) => type.ToDisplayString(Annotated);

            private static string KeyOf(ITypeSymbol type) => type.ToDisplayString(Key);

            internal static string Key_(ITypeSymbol type) => type.WithNullableAnnotation(NullableAnnotation.None).ToDisplayString(Key);

            /// <summary>A member name as generated code must write it: <c>@object</c> for the keyword.</summary>
            public static string Identifier(string name) => SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None ? "@" + name : name;
        }
    }
}
