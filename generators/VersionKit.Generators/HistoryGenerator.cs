using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace VersionKit.Generators
{
    /// <summary>
    /// Compiles an API's version history: finds the [ApiHistory] class with its [ApiRelease]s, the [ApiResource] types, the
    /// [VersionChange] classes and the [ApiRequest] types, checks that history adds up, and completes the history class with every version, change and per-resource
    /// plan, and a writer per resource that writes each old shape straight from the C# object.
    /// </summary>
    [Generator(LanguageNames.CSharp)]
    public sealed partial class HistoryGenerator : IIncrementalGenerator
    {
        /// <summary>Names of the pipeline's steps, for caching tests.</summary>
        public static class TrackingNames
        {
            /// <summary>The parsed [ApiHistory] classes.</summary>
            public const string Histories = nameof(Histories);

            /// <summary>The parsed resources.</summary>
            public const string Resources = nameof(Resources);

            /// <summary>The parsed changes.</summary>
            public const string Changes = nameof(Changes);

            /// <summary>The parsed [ApiRelease]s.</summary>
            public const string Releases = nameof(Releases);

            /// <summary>The parsed [ApiRequest] types.</summary>
            public const string Requests = nameof(Requests);

            /// <summary>The checked plan the emitter writes.</summary>
            public const string Plan = nameof(Plan);
        }

        /// <inheritdoc/>
        public void Initialize(IncrementalGeneratorInitializationContext context)
        {
            var histories = context.SyntaxProvider
                .ForAttributeWithMetadataName(
                    "VersionKit.ApiHistoryAttribute",
                    static (node, _) => node is ClassDeclarationSyntax,
                    Parser.ParseHistory)
                .WithTrackingName(TrackingNames.Histories);

            var resources = context.SyntaxProvider
                .ForAttributeWithMetadataName(
                    "VersionKit.ApiResourceAttribute",
                    static (node, _) => node is TypeDeclarationSyntax,
                    Parser.ParseResource)
                .WithTrackingName(TrackingNames.Resources);

            var changes = context.SyntaxProvider
                .ForAttributeWithMetadataName(
                    "VersionKit.VersionChangeAttribute",
                    static (node, _) => node is ClassDeclarationSyntax,
                    Parser.ParseChange)
                .WithTrackingName(TrackingNames.Changes);

            var releases = context.SyntaxProvider
                .ForAttributeWithMetadataName(
                    "VersionKit.ApiReleaseAttribute",
                    static (node, _) => node is ClassDeclarationSyntax,
                    Parser.ParseReleases)
                .WithTrackingName(TrackingNames.Releases);

            var requests = context.SyntaxProvider
                .ForAttributeWithMetadataName(
                    "VersionKit.ApiRequestAttribute",
                    static (node, _) => node is TypeDeclarationSyntax,
                    Parser.ParseRequest)
                .WithTrackingName(TrackingNames.Requests);

            var plan = histories.Collect()
                .Combine(resources.Collect())
                .Combine(changes.Collect())
                .Combine(releases.Collect())
                .Combine(requests.Collect())
                .Select(static (input, _) => Planner.Plan(input.Left.Left.Left.Left, input.Left.Left.Left.Right, input.Left.Left.Right, input.Left.Right, input.Right))
                .WithTrackingName(TrackingNames.Plan);

            context.RegisterSourceOutput(plan, static (output, plan) =>
            {
                foreach (var diagnostic in plan.Diagnostics)
                {
                    output.ReportDiagnostic(diagnostic.ToDiagnostic());
                }

                if (plan.History is { DeclarationProblem: null } history)
                {
                    output.AddSource(history.TypeName + ".VersionKit.g.cs", Emitter.Emit(plan));
                }
            });
        }
    }
}
