using System.Reflection;
using System.Runtime.Loader;
using System.Text.Json;

namespace VersionKit.Generators.Tests;

/// <summary>
/// A project's source compiled by the real generator and loaded in an assembly context of its own (unloaded after):
/// its history, its types by name, and renderers over both paths.
/// </summary>
internal sealed class LoadedSource : IDisposable
{
    private readonly AssemblyLoadContext _context;
    private readonly Assembly _assembly;

    private LoadedSource(AssemblyLoadContext context, Assembly assembly, string historyType, Action<JsonSerializerOptions>? configure)
    {
        _context = context;
        _assembly = assembly;
        configure?.Invoke(Options);
        History = (ApiHistory)Type(historyType).GetProperty("Default", BindingFlags.Public | BindingFlags.Static)!.GetValue(null)!;
        Writers = new ApiRenderer(History, Options);
        Reference = new ApiRenderer(History, Options, RenderPath.Reference);
    }

    public ApiHistory History { get; }

    public JsonSerializerOptions Options { get; } = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    /// <summary>The default renderer.</summary>
    public ApiRenderer Writers { get; }

    /// <summary>The reference chain.</summary>
    public ApiRenderer Reference { get; }

    /// <summary>Compiles <paramref name="source"/>, asserting no diagnostic and no compile error, and loads it.</summary>
    public static LoadedSource Compile(string source, string historyType, Action<JsonSerializerOptions>? configure = null)
    {
        var run = GeneratorHarness.Run(source);
        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Empty(run.CompilationErrors);
        using var image = new MemoryStream();
        var emitted = run.OutputCompilation.Emit(image);
        Assert.True(emitted.Success, string.Join("\n", emitted.Diagnostics));
        image.Position = 0;
        var context = new AssemblyLoadContext("loaded-source", isCollectible: true);
        return new LoadedSource(context, context.LoadFromStream(image), historyType, configure);
    }

    /// <summary>The changelog JSON the generator embedded in the compiled assembly.</summary>
    public string EmbeddedChangelog => _assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == ApiChangelog.AssemblyMetadataKey).Value!;

    public Type Type(string name) => _assembly.GetType(name) ?? throw new ArgumentException($"No type {name} in the compiled source.");

    /// <summary>A new instance of <paramref name="name"/>, made by its parameterless constructor.</summary>
    public object New(string name) => Activator.CreateInstance(Type(name))!;

    public ApiVersion Version(string text) => ApiVersion.Parse(text);

    public void Dispose() => _context.Unload();
}
