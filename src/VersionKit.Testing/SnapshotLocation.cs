using System.Collections.Concurrent;
using System.Diagnostics;
using System.Reflection;
using System.Runtime.CompilerServices;

namespace VersionKit.Testing;

/// <summary>Where the snapshots of one verification live: a folder and the name before the version (<c>{Class}.{Method}</c>).</summary>
internal sealed record SnapshotLocation(string Directory, string Name)
{
    // Two verifications writing the same files in one run would overwrite each other's received files and fail in turn.
    private static readonly ConcurrentDictionary<string, bool> Claimed = new(StringComparer.Ordinal);

    public string PathOf(string suffix) => Path.Combine(Directory, Name + suffix);

    /// <summary>
    /// Finds the folder and name for the test that called: the folder of its source file (or <see cref="SnapshotSettings.Directory"/>),
    /// its class and method (or <see cref="SnapshotSettings.FileName"/>). Call it before the first <see langword="await"/>, while
    /// the test's frame is on the stack.
    /// </summary>
    public static SnapshotLocation Find(SnapshotSettings settings, string sourceFile, string testName)
    {
        string directory = DirectoryOf(settings.Directory, sourceFile, "Set SnapshotSettings.Directory to an absolute folder.");
        string name = settings.FileName ?? TestClassName(sourceFile, testName) + "." + testName;
        var location = new SnapshotLocation(directory, name);
        Claim(location.PathOf(string.Empty),
            $"The snapshots '{name}' in {location.Directory} were already verified in this test run. Give each verification its own "
            + "SnapshotSettings.FileName (in a theory, include the case's data), so that each has its own files.");
        return location;
    }

    /// <summary>
    /// The full path of <paramref name="configured"/>: an absolute folder as it is, a relative one taken from the folder of the
    /// test's <paramref name="sourceFile"/>, <see langword="null"/> that folder itself. When that folder is needed but not on
    /// this machine, the error ends with <paramref name="remedy"/>.
    /// </summary>
    public static string DirectoryOf(string? configured, string sourceFile, string remedy)
    {
        if (configured is not null && Path.IsPathRooted(configured))
        {
            return Path.GetFullPath(configured);
        }

        string sourceDirectory = Path.GetDirectoryName(sourceFile) ?? string.Empty;
        if (!System.IO.Directory.Exists(sourceDirectory))
        {
            throw new InvalidOperationException(
                $"The test's source folder '{sourceDirectory}' is not on this machine, so the snapshots cannot be kept next to the test "
                + $"(a build with ContinuousIntegrationBuild or a PathMap rewrites source paths). {remedy}");
        }

        return Path.GetFullPath(configured is null ? sourceDirectory : Path.Combine(sourceDirectory, configured));
    }

    /// <summary>
    /// Marks the files at <paramref name="path"/> as verified in this run; when they already were, throws an
    /// <see cref="InvalidOperationException"/> with the message <paramref name="alreadyClaimed"/>.
    /// </summary>
    public static void Claim(string path, string alreadyClaimed)
    {
        if (!Claimed.TryAdd(path, true))
        {
            throw new InvalidOperationException(alreadyClaimed);
        }
    }

    private static string TestClassName(string sourceFile, string testName)
    {
        var ownAssembly = typeof(SnapshotLocation).Assembly;
        foreach (var frame in new StackTrace().GetFrames())
        {
            if (frame.GetMethod() is not { DeclaringType: { } type } method || type.Assembly == ownAssembly)
            {
                continue;
            }

            // An async test runs in a nested state machine '<Test>d__3'; a lambda in '<>c' as '<Test>b__3_0'.
            string name = method.Name;
            while (type.IsDefined(typeof(CompilerGeneratedAttribute), inherit: false) && type.DeclaringType is { } outer)
            {
                if (name == "MoveNext")
                {
                    name = type.Name;
                }

                type = outer;
            }

            if (Unmangle(name) == testName)
            {
                return TypeName(type);
            }
        }

        // Without stack frames (trimmed or native code), the convention that a file holds the class of its name.
        return Path.GetFileNameWithoutExtension(sourceFile);
    }

    private static string Unmangle(string name)
    {
        while (name.Length > 0 && name[0] == '<')
        {
            int depth = 0;
            int close = -1;
            for (int i = 0; i < name.Length && close < 0; i++)
            {
                depth += name[i] switch { '<' => 1, '>' => -1, _ => 0 };
                if (depth == 0)
                {
                    close = i;
                }
            }

            if (close < 0)
            {
                break;
            }

            name = name[1..close];
        }

        return name;
    }

    private static string TypeName(Type type)
    {
        int tick = type.Name.IndexOf('`', StringComparison.Ordinal);
        return tick < 0 ? type.Name : type.Name[..tick];
    }
}
