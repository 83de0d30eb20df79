using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Text;
using VersionKit.Docs;

namespace VersionKit.Changelog;

/// <summary>
/// <c>VersionKit.Changelog --assembly &lt;built.dll&gt; --output &lt;folder&gt;</c>: writes the changelog of a built assembly.
/// It reads the assembly's metadata as data and never loads or runs it. Errors are printed in MSBuild's format, so that a
/// build shows them as errors.
/// </summary>
internal static class ChangelogTool
{
    public const string MarkdownFileName = "CHANGELOG.md";
    public const string HtmlFileName = "CHANGELOG.html";

    private const string Usage = "usage: VersionKit.Changelog --assembly <built assembly> --output <folder>";

    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    public static int Run(string[] args, TextWriter output, TextWriter errors)
    {
        string? assembly = null;
        string? folder = null;
        for (int i = 0; i < args.Length; i++)
        {
            string? value = i + 1 < args.Length ? args[i + 1] : null;
            switch (args[i])
            {
                case "--assembly" when value is not null:
                    assembly = value;
                    i++;
                    break;
                case "--output" when value is not null:
                    folder = value;
                    i++;
                    break;
                default:
                    return Fail(errors, $"unexpected argument '{args[i]}'. {Usage}");
            }
        }

        if (assembly is null || folder is null)
        {
            return Fail(errors, $"both --assembly and --output are needed. {Usage}");
        }

        string? json;
        try
        {
            json = ReadEmbeddedChangelog(assembly);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or BadImageFormatException or InvalidOperationException)
        {
            return Fail(errors, $"cannot read the changelog of '{assembly}': {exception.Message}");
        }

        if (json is null)
        {
            output.WriteLine($"VersionKit: '{Path.GetFileName(assembly)}' declares no API history ([ApiHistory]); no changelog written.");
            return 0;
        }

        ApiChangelog changelog;
        try
        {
            changelog = ApiChangelog.FromJson(json);
        }
        catch (FormatException exception)
        {
            return Fail(errors, $"the changelog embedded in '{assembly}' cannot be read: {exception.Message}");
        }

        try
        {
            var (written, unchanged) = Write(changelog, folder);
            output.WriteLine($"VersionKit: changelog of {changelog.HistoryName} in {Path.GetFullPath(folder)}: {written} written, {unchanged} unchanged.");
            return 0;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return Fail(errors, $"cannot write the changelog to '{folder}': {exception.Message}");
        }
    }

    /// <summary>The files of the changelog, by file name: <c>CHANGELOG.md</c>, one <c>&lt;version&gt;.md</c> per version, <c>CHANGELOG.html</c>.</summary>
    public static SortedDictionary<string, string> Files(ApiChangelog changelog)
    {
        string markdown = changelog.ToMarkdown();
        var files = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            [MarkdownFileName] = markdown,
            [HtmlFileName] = DocsHtml.Page($"API changelog ({changelog.HistoryName})", DocsHtml.Render(markdown)),
        };
        foreach (var version in changelog.Versions)
        {
            files[version + ".md"] = changelog.ToMarkdown(version);
        }

        return files;
    }

    /// <summary>
    /// Writes the files into <paramref name="folder"/>, each only when its bytes differ (so an unchanged changelog keeps its
    /// timestamps), and removes the <c>&lt;version&gt;.md</c> of versions the history no longer has.
    /// </summary>
    public static (int Written, int Unchanged) Write(ApiChangelog changelog, string folder)
    {
        Directory.CreateDirectory(folder);
        int written = 0;
        int unchanged = 0;
        var files = Files(changelog);
        foreach (var (name, text) in files)
        {
            string path = Path.Combine(folder, name);
            byte[] bytes = Utf8.GetBytes(text);
            if (File.Exists(path) && File.ReadAllBytes(path).AsSpan().SequenceEqual(bytes))
            {
                unchanged++;
                continue;
            }

            // Written beside and moved over, so a reader never sees half a file.
            string temporary = path + ".tmp";
            File.WriteAllBytes(temporary, bytes);
            File.Move(temporary, path, overwrite: true);
            written++;
        }

        foreach (string stale in Directory.EnumerateFiles(folder, "*.md"))
        {
            string name = Path.GetFileName(stale);
            if (!files.ContainsKey(name) && ApiVersion.TryParse(Path.GetFileNameWithoutExtension(name), out _))
            {
                File.Delete(stale);
            }
        }

        return (written, unchanged);
    }

    /// <summary>The changelog JSON in the assembly's <c>[assembly: AssemblyMetadata("VersionKit.Changelog", ...)]</c>, or <see langword="null"/>.</summary>
    /// <exception cref="BadImageFormatException">The file is not a .NET assembly.</exception>
    public static string? ReadEmbeddedChangelog(string assemblyPath)
    {
        using var stream = File.OpenRead(assemblyPath);
        using var pe = new PEReader(stream);
        if (!pe.HasMetadata)
        {
            throw new BadImageFormatException("the file is not a .NET assembly (it has no metadata).");
        }

        var reader = pe.GetMetadataReader();
        if (!reader.IsAssembly)
        {
            throw new BadImageFormatException("the file is a module, not an assembly.");
        }

        string? found = null;
        foreach (var handle in reader.GetAssemblyDefinition().GetCustomAttributes())
        {
            var attribute = reader.GetCustomAttribute(handle);
            if (!IsAssemblyMetadata(reader, attribute))
            {
                continue;
            }

            var value = attribute.DecodeValue(new StringArguments());
            if (value.FixedArguments is [{ Value: string key }, { Value: var json }] && key == ApiChangelog.AssemblyMetadataKey)
            {
                found = found is null
                    ? json as string
                    : throw new InvalidOperationException($"the assembly carries more than one '{ApiChangelog.AssemblyMetadataKey}'; a project has one [ApiHistory].");
            }
        }

        return found;
    }

    private static bool IsAssemblyMetadata(MetadataReader reader, CustomAttribute attribute)
    {
        EntityHandle type = attribute.Constructor.Kind switch
        {
            HandleKind.MemberReference => reader.GetMemberReference((MemberReferenceHandle)attribute.Constructor).Parent,
            HandleKind.MethodDefinition => reader.GetMethodDefinition((MethodDefinitionHandle)attribute.Constructor).GetDeclaringType(),
            _ => default,
        };
        return type.Kind switch
        {
            HandleKind.TypeReference => reader.GetTypeReference((TypeReferenceHandle)type) is var t
                && reader.StringComparer.Equals(t.Namespace, "System.Reflection") && reader.StringComparer.Equals(t.Name, "AssemblyMetadataAttribute"),
            HandleKind.TypeDefinition => reader.GetTypeDefinition((TypeDefinitionHandle)type) is var d
                && reader.StringComparer.Equals(d.Namespace, "System.Reflection") && reader.StringComparer.Equals(d.Name, "AssemblyMetadataAttribute"),
            _ => false,
        };
    }

    private static int Fail(TextWriter errors, string message)
    {
        // MSBuild's canonical error format: the build lists it as an error of the tool.
        errors.WriteLine("VersionKit.Changelog : error : " + message);
        return 1;
    }

    /// <summary>Decodes the arguments of <c>AssemblyMetadataAttribute(string, string)</c>: strings are all it needs to know.</summary>
    private sealed class StringArguments : ICustomAttributeTypeProvider<string>
    {
        public string GetPrimitiveType(PrimitiveTypeCode typeCode) => typeCode.ToString();

        public string GetSystemType() => "System.Type";

        public string GetSZArrayType(string elementType) => elementType + "[]";

        public string GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte rawTypeKind) => reader.GetString(reader.GetTypeDefinition(handle).Name);

        public string GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte rawTypeKind) => reader.GetString(reader.GetTypeReference(handle).Name);

        public string GetTypeFromSerializedName(string name) => name;

        public PrimitiveTypeCode GetUnderlyingEnumType(string type) => throw new BadImageFormatException($"AssemblyMetadataAttribute has no enum argument, yet one of type {type} was found.");

        public bool IsSystemType(string type) => type == "System.Type";
    }
}
