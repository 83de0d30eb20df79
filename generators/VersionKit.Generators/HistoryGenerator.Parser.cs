using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace VersionKit.Generators
{
    public sealed partial class HistoryGenerator
    {
        /// <summary>Symbols in, models out: everything the generator needs, read once per attributed type.</summary>
        internal static class Parser
        {
            private const string JsonNodesNamespace = "System.Text.Json.Nodes";

            private static readonly SymbolDisplayFormat FullyQualified = SymbolDisplayFormat.FullyQualifiedFormat;

            public static HistoryModel ParseHistory(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
            {
                var type = (INamedTypeSymbol)context.TargetSymbol;
                var declaration = (ClassDeclarationSyntax)context.TargetNode;
                var attribute = context.Attributes[0];
                cancellationToken.ThrowIfCancellationRequested();

                string initialVersion = attribute.ConstructorArguments.Length == 1 && attribute.ConstructorArguments[0].Value is string text ? text : string.Empty;
                int namingPolicy = NamedArgument(attribute, "NamingPolicy") is int policy ? policy : 0;

                string? problem = null;
                if (!declaration.Modifiers.Any(SyntaxKind.PartialKeyword))
                {
                    problem = $"[ApiHistory] class '{type.Name}' must be declared partial, so that the generator can complete it";
                }
                else if (type.ContainingType is not null)
                {
                    problem = $"[ApiHistory] class '{type.Name}' must not be nested in another type";
                }
                else if (type.IsStatic || type.IsAbstract || type.IsGenericType)
                {
                    problem = $"[ApiHistory] class '{type.Name}' must be neither static, abstract nor generic";
                }
                else if (type.BaseType is { SpecialType: not SpecialType.System_Object } baseType && baseType.ToDisplayString() != "VersionKit.ApiHistory")
                {
                    problem = $"[ApiHistory] class '{type.Name}' must not declare a base class; the generator makes it derive from VersionKit.ApiHistory";
                }
                else if (type.Name == Emitter.VersionsClass)
                {
                    problem = $"[ApiHistory] class '{type.Name}' cannot be named '{Emitter.VersionsClass}': the generator adds the class '{type.Name}.{Emitter.VersionsClass}' that holds a constant per version";
                }

                return new HistoryModel(
                    type.ContainingNamespace.IsGlobalNamespace ? null : type.ContainingNamespace.ToDisplayString(),
                    type.Name,
                    type.DeclaredAccessibility == Accessibility.Public ? "public" : "internal",
                    initialVersion,
                    LocationInfo.From(ArgumentSyntax(attribute, 0)) ?? LocationInfo.From(declaration.Identifier.GetLocation()),
                    namingPolicy,
                    LocationInfo.From(declaration.Identifier.GetLocation()),
                    problem,
                    NamedArgument(attribute, "BreakingChangesOnlyInMajors") is true);
            }

            /// <summary>The [ApiRelease]s on one declaration of a class: a step of their own, so that a release declared on another part of a partial history is seen.</summary>
            public static ReleaseSetModel ParseReleases(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
            {
                var releases = new List<ReleaseModel>();
                var node = context.TargetNode;
                foreach (var data in context.Attributes)
                {
                    cancellationToken.ThrowIfCancellationRequested();

                    // The attributes are the class's, from all its declarations; this step's model holds this declaration's.
                    if (data.ApplicationSyntaxReference is { } reference && reference.SyntaxTree == node.SyntaxTree && node.Span.Contains(reference.Span)
                        && data.ConstructorArguments.Length == 2 && data.ConstructorArguments[0].Value is string release && data.ConstructorArguments[1].Value is int kind)
                    {
                        releases.Add(new ReleaseModel(release, kind, NamedArgument(data, "Notes") as string,
                            LocationInfo.From(ArgumentSyntax(data, 0)) ?? LocationInfo.From(data.ApplicationSyntaxReference?.GetSyntax())));
                    }
                }

                return new ReleaseSetModel(context.TargetSymbol.ToDisplayString(FullyQualified), releases.ToEquatableArray());
            }

            /// <summary>Why generated code cannot name <paramref name="type"/>, or <see langword="null"/> when it can.</summary>
            private static string? Unreachable(INamedTypeSymbol type)
            {
                if (type.IsGenericType)
                {
                    return "non-generic";
                }

                for (var current = type; current is not null; current = current.ContainingType)
                {
                    if (current.DeclaredAccessibility is not (Accessibility.Public or Accessibility.Internal or Accessibility.ProtectedOrInternal))
                    {
                        return current.Equals(type, SymbolEqualityComparer.Default)
                            ? "public or internal"
                            : "public or internal, and so must '" + current.Name + "', which contains it";
                    }
                }

                return null;
            }

            public static ResourceModel ParseResource(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
            {
                var type = (INamedTypeSymbol)context.TargetSymbol;
                var attribute = context.Attributes[0];
                string objectName = attribute.ConstructorArguments.Length == 1 && attribute.ConstructorArguments[0].Value is string name ? name : string.Empty;
                cancellationToken.ThrowIfCancellationRequested();

                var shapes = new TypeShapes();
                var properties = shapes.Properties(type);
                var declaration = (TypeDeclarationSyntax)context.TargetNode;
                return new ResourceModel(
                    type.ToDisplayString(FullyQualified),
                    type.Name,
                    objectName,
                    LocationInfo.From(declaration.Identifier.GetLocation()),
                    properties,
                    shapes.Carriers,
                    Unreachable(type));
            }

            public static RequestRootModel ParseRequest(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
            {
                var type = (INamedTypeSymbol)context.TargetSymbol;
                var declaration = (TypeDeclarationSyntax)context.TargetNode;
                cancellationToken.ThrowIfCancellationRequested();

                var location = LocationInfo.From(declaration.Identifier.GetLocation());
                string? problem = RequestTypes.Problem(type);
                string? unreachable = Unreachable(type);
                var types = new RequestTypes();
                if (problem is null && unreachable is null)
                {
                    types.Add(type);
                }

                return new RequestRootModel(type.ToDisplayString(FullyQualified), type.Name, location, problem, unreachable, types.Types);
            }

            public static ChangeModel ParseChange(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
            {
                var type = (INamedTypeSymbol)context.TargetSymbol;
                var declaration = (ClassDeclarationSyntax)context.TargetNode;
                var attribute = context.Attributes[0];
                var diagnostics = new List<DiagnosticInfo>();
                var shapes = new TypeShapes();

                string version = attribute.ConstructorArguments.Length >= 1 && attribute.ConstructorArguments[0].Value is string v ? v : string.Empty;
                string description = attribute.ConstructorArguments.Length >= 2 && attribute.ConstructorArguments[1].Value is string d ? d : string.Empty;
                int order = NamedArgument(attribute, "Order") is int o ? o : 0;
                bool hasSideEffects = NamedArgument(attribute, "HasSideEffects") is true;

                if (Unreachable(type) is { } requirement)
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InaccessibleType, LocationInfo.From(declaration.Identifier.GetLocation()), type.Name, requirement));
                }

                var instructions = new List<InstructionModel>();
                var requestInstructions = new List<InstructionModel>();
                var requestTypes = new RequestTypes();
                var namedRequests = new HashSet<string>(System.StringComparer.Ordinal);

                // A type a request change names is a request type, and so is every request object its properties reach.
                bool NoteRequest(ITypeSymbol request, LocationInfo? location)
                {
                    string name = request.ToDisplayString(FullyQualified);
                    if (!namedRequests.Add(name))
                    {
                        return true;
                    }

                    if (RequestTypes.Problem(request) is { } problem)
                    {
                        diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NotARequestType, location, "Version change '" + type.Name + "'", problem));
                        return false;
                    }

                    if (request is INamedTypeSymbol named && Unreachable(named) is { } requirement)
                    {
                        diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InaccessibleType, location, request.Name, requirement));
                        return false;
                    }

                    requestTypes.Add(request);
                    return true;
                }

                foreach (var data in type.GetAttributes())
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    if (ParseRequestInstruction(data) is { } requestInstruction)
                    {
                        if (NoteRequest((ITypeSymbol)data.ConstructorArguments[0].Value!, requestInstruction.Location))
                        {
                            requestInstructions.Add(requestInstruction);
                        }
                    }
                    else if (ParseInstruction(type, data, shapes, context.SemanticModel.Compilation, diagnostics) is { } instruction)
                    {
                        instructions.Add(instruction);
                    }
                }

                var transforms = new List<TransformModel>();
                var requestTransforms = new List<TransformModel>();
                foreach (var method in type.GetMembers().OfType<IMethodSymbol>())
                {
                    foreach (var data in method.GetAttributes())
                    {
                        string? attributeName = data.AttributeClass?.ToDisplayString();
                        bool backward = attributeName == "VersionKit.BackwardTransformAttribute";
                        if ((!backward && attributeName != "VersionKit.RequestTransformAttribute")
                            || data.ConstructorArguments.Length != 1 || data.ConstructorArguments[0].Value is not ITypeSymbol target)
                        {
                            continue;
                        }

                        var location = LocationInfo.From(method.Locations.FirstOrDefault());
                        string? field = backward ? NamedArgument(data, "Field") as string : null;
                        if (!backward && !NoteRequest(target, LocationInfo.From(data.ApplicationSyntaxReference?.GetSyntax())))
                        {
                            continue;
                        }

                        if (IsJsonMethod(method, returnsVoid: true))
                        {
                            (backward ? transforms : requestTransforms).Add(new TransformModel(target.ToDisplayString(FullyQualified), method.Name, location, field));
                        }
                        else if (backward && field is not null && IsTypedMethod(method))
                        {
                            transforms.Add(new TransformModel(target.ToDisplayString(FullyQualified), method.Name, location, field,
                                method.Parameters[0].Type.ToDisplayString(FullyQualified), shapes.Shape(method.ReturnType)));
                        }
                        else
                        {
                            string expected = backward
                                ? "'static void " + method.Name + "(JsonObject resource)', or, with Field set, 'static TOld " + method.Name + "(TField value)' on the field's C# value"
                                : "'static void " + method.Name + "(JsonObject request)'";
                            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidTransformSignature, location, method.Name, type.Name, expected + ", public or internal"));
                        }
                    }
                }

                return new ChangeModel(
                    type.ToDisplayString(FullyQualified),
                    type.Name,
                    version,
                    LocationInfo.From(ArgumentSyntax(attribute, 0)) ?? LocationInfo.From(declaration.Identifier.GetLocation()),
                    description,
                    order,
                    hasSideEffects,
                    LocationInfo.From(declaration.Identifier.GetLocation()),
                    instructions.ToEquatableArray(),
                    transforms.ToEquatableArray(),
                    requestInstructions.ToEquatableArray(),
                    requestTransforms.ToEquatableArray(),
                    requestTypes.Types,
                    shapes.Carriers,
                    diagnostics.ToEquatableArray(),
                    new ChangeTextModel(NamedArgument(attribute, "Title") as string, NamedArgument(attribute, "Category") as string, NamedArgument(attribute, "Internal") is true));
            }

            private static InstructionModel? ParseRequestInstruction(AttributeData data)
            {
                var arguments = data.ConstructorArguments;
                if (arguments.Length < 2 || arguments[0].Value is not ITypeSymbol request || arguments.Skip(1).Any(a => a.Value is not string))
                {
                    return null;
                }

                string requestType = request.ToDisplayString(FullyQualified);
                var location = LocationInfo.From(data.ApplicationSyntaxReference?.GetSyntax());
                return data.AttributeClass?.ToDisplayString() switch
                {
                    "VersionKit.RequestFieldRenamedAttribute" when arguments.Length == 3
                        => new InstructionModel(InstructionKind.Renamed, requestType, (string)arguments[2].Value!, (string)arguments[1].Value!, (string)arguments[2].Value!, null, null, location),
                    "VersionKit.RequestFieldRemovedAttribute"
                        => new InstructionModel(InstructionKind.Removed, requestType, (string)arguments[1].Value!, (string)arguments[1].Value!, null, null, null, location),
                    "VersionKit.RequestFieldAddedAttribute"
                        => new InstructionModel(InstructionKind.Added, requestType, (string)arguments[1].Value!, null, (string)arguments[1].Value!, null, null, location),
                    _ => null,
                };
            }

            private static InstructionModel? ParseInstruction(INamedTypeSymbol change, AttributeData data, TypeShapes shapes, Compilation compilation, List<DiagnosticInfo> diagnostics)
            {
                var kind = data.AttributeClass?.ToDisplayString() switch
                {
                    "VersionKit.FieldRenamedAttribute" => InstructionKind.Renamed,
                    "VersionKit.FieldRemovedAttribute" => InstructionKind.Removed,
                    "VersionKit.FieldAddedAttribute" => InstructionKind.Added,
                    "VersionKit.EnumValueAddedAttribute" => InstructionKind.EnumValueAdded,
                    "VersionKit.FieldTypeChangedAttribute" => (InstructionKind?)InstructionKind.TypeChanged,
                    _ => null,
                };
                var arguments = data.ConstructorArguments;
                if (kind is null || arguments.Length < 2 || arguments[0].Value is not ITypeSymbol resource || arguments.Skip(1).Any(a => a.Value is not string))
                {
                    return null;
                }

                string Text(int index) => (string)arguments[index].Value!;
                var location = LocationInfo.From(data.ApplicationSyntaxReference?.GetSyntax());
                string resourceType = resource.ToDisplayString(FullyQualified);
                switch (kind.Value)
                {
                    case InstructionKind.Renamed:
                        return new InstructionModel(InstructionKind.Renamed, resourceType, Text(2), Text(1), Text(2), null, null, location);
                    case InstructionKind.Added:
                        return new InstructionModel(InstructionKind.Added, resourceType, Text(1), null, Text(1), null, null, location);
                    case InstructionKind.EnumValueAdded:
                        return new InstructionModel(InstructionKind.EnumValueAdded, resourceType, Text(1), Text(3), Text(2), null, null, location);
                    case InstructionKind.TypeChanged:
                        return new InstructionModel(InstructionKind.TypeChanged, resourceType, Text(1), Text(2), Text(3), null, null, location);
                    default:
                        return ParseRemoved(change, data, resource, Text(1), location, shapes, compilation, diagnostics);
                }
            }

            private static InstructionModel ParseRemoved(INamedTypeSymbol change, AttributeData data, ITypeSymbol resource, string field, LocationInfo? location, TypeShapes shapes, Compilation compilation, List<DiagnosticInfo> diagnostics)
            {
                string resourceType = resource.ToDisplayString(FullyQualified);
                var value = data.NamedArguments.FirstOrDefault(a => a.Key == "Value");
                string? valueFrom = NamedArgument(data, "ValueFrom") as string;
                string? expression = value.Key is null ? null : ValueJson(value.Value);
                if (value.Key is not null && valueFrom is not null)
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ConflictingRemovedValue, location, field));
                    valueFrom = null;
                }

                TypeShape? output = null;
                string? valueFromField = NamedArgument(data, "ValueFromField") as string;
                if (valueFrom is not null)
                {
                    var method = change.GetMembers(valueFrom).OfType<IMethodSymbol>().FirstOrDefault();
                    if (method is not null && IsJsonMethod(method, returnsVoid: false))
                    {
                        // the JSON form: reads the resource (or its one field) as it was at the change's version
                    }
                    else if (method is not null && valueFromField is null && IsTypedMethod(method)
                        && compilation.ClassifyConversion(resource, method.Parameters[0].Type).IsImplicit)
                    {
                        output = shapes.Shape(method.ReturnType);
                    }
                    else
                    {
                        diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidTransformSignature, location, valueFrom, change.Name,
                            "'static TValue " + valueFrom + "(" + resource.Name + " resource)' on the C# object, or 'static JsonNode? " + valueFrom + "(JsonObject resource)' on its JSON (ValueFromField names a field for the JSON form only), public or internal"));
                        valueFrom = null;
                    }
                }

                return new InstructionModel(InstructionKind.Removed, resourceType, field, field, null, expression, valueFrom, location,
                    valueFrom is null || output is not null ? null : valueFromField, output);
            }

            /// <summary>The constant as the JSON text older versions see.</summary>
            private static string ValueJson(TypedConstant constant)
            {
                if (constant.IsNull || constant.Kind == TypedConstantKind.Array || constant.Value is null)
                {
                    return "null";
                }

                if (constant.Kind == TypedConstantKind.Enum)
                {
                    // The constant holds the underlying number; older versions see the member's name (the number if none matches).
                    string member = constant.Type?.GetMembers().OfType<IFieldSymbol>()
                        .FirstOrDefault(f => f.HasConstantValue && Equals(f.ConstantValue, constant.Value))?.Name
                        ?? System.Convert.ToString(constant.Value, CultureInfo.InvariantCulture)!;
                    return Json.String(member);
                }

                return constant.Value switch
                {
                    string text => Json.String(text),
                    bool flag => flag ? "true" : "false",
                    char c => Json.String(c.ToString()),
                    float f => float.IsNaN(f) || float.IsInfinity(f) ? Number(f) : f.ToString("R", CultureInfo.InvariantCulture),
                    double n => Number(n),
                    ITypeSymbol typeValue => Json.String(typeValue.Name),
                    _ => System.Convert.ToString(constant.Value, CultureInfo.InvariantCulture)!,
                };
            }

            // JSON has no NaN or infinities: they are written as System.Text.Json writes them with named literals allowed.
            private static string Number(double value)
                => double.IsNaN(value) ? "\"NaN\""
                    : double.IsPositiveInfinity(value) ? "\"Infinity\""
                    : double.IsNegativeInfinity(value) ? "\"-Infinity\""
                    : value.ToString("R", CultureInfo.InvariantCulture);

            /// <summary>The JSON form: <c>static void M(JsonObject o)</c> (code) or <c>static JsonNode? M(JsonObject o)</c> (a computed value).</summary>
            private static bool IsJsonMethod(IMethodSymbol method, bool returnsVoid)
            {
                if (!IsCallable(method) || !IsJsonNodesType(method.Parameters[0].Type, "JsonObject"))
                {
                    return false;
                }

                if (returnsVoid)
                {
                    return method.ReturnsVoid;
                }

                for (var type = method.ReturnType as INamedTypeSymbol; type is not null; type = type.BaseType)
                {
                    if (IsJsonNodesType(type, "JsonNode"))
                    {
                        return true;
                    }
                }

                return false;
            }

            /// <summary>The typed form: <c>static TOut M(TIn value)</c> on C# values, neither side JSON.</summary>
            private static bool IsTypedMethod(IMethodSymbol method)
                => IsCallable(method) && !method.ReturnsVoid && !method.ReturnsByRef && !method.ReturnsByRefReadonly
                    && !IsJsonNodesType(method.Parameters[0].Type, "JsonObject");

            private static bool IsCallable(IMethodSymbol method)
                => method.IsStatic && !method.IsGenericMethod && method.Parameters.Length == 1
                    && method.Parameters[0].RefKind == RefKind.None
                    && method.DeclaredAccessibility is Accessibility.Public or Accessibility.Internal or Accessibility.ProtectedOrInternal;

            private static bool IsJsonNodesType(ITypeSymbol type, string name)
                => type.Name == name && type.ContainingNamespace?.ToDisplayString() == JsonNodesNamespace;

            private static object? NamedArgument(AttributeData data, string name)
            {
                foreach (var argument in data.NamedArguments)
                {
                    if (argument.Key == name)
                    {
                        return argument.Value.Value;
                    }
                }

                return null;
            }

            private static SyntaxNode? ArgumentSyntax(AttributeData data, int index)
                => data.ApplicationSyntaxReference?.GetSyntax() is AttributeSyntax { ArgumentList: { } list } && list.Arguments.Count > index
                    ? list.Arguments[index]
                    : null;
        }
    }
}
