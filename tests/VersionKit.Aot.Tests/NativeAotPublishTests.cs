using System.Diagnostics;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using VersionKit.Packaging.Tests;
using Xunit.Abstractions;

namespace VersionKit.Aot.Tests;

/// <summary>
/// App/ (a bookstore history with every kind of change) published with NativeAOT, every trim and AOT warning an error, and
/// its native binary run: it must print every version's JSON exactly as written by hand below, and the reference chain must
/// agree with the compiled writers. A publish that succeeds with no warning is the proof that rendering old shapes needs no
/// reflection and no code made at run time; the run is the proof that the native code does what the JIT's does.
/// </summary>
public sealed partial class NativeAotPublishTests(ITestOutputHelper log)
{
    // The first publish on a machine downloads the ILCompiler package; the compile itself takes well under a minute here.
    private static readonly TimeSpan PublishTimeout = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(1);

    // MSBuild's canonical form ('file(1,2): warning CS1234: ...') and ILC's ('... Trim analysis warning IL2026: ...').
    [GeneratedRegex(@"\bwarning\s+[A-Z]{2,}[0-9]{3,}\b")]
    private static partial Regex WarningLine();

    /// <summary>
    /// What the app must print at each version, oldest first, worked out by hand from the history in App/Bookstore.cs
    /// (section 2 of docs/architecture.md: renames in place, restored fields appended, newest first). One book per line.
    /// </summary>
    private static readonly (string Version, string Json)[] Expected =
    [
        ("2020-01-01", """
            {"id":"shelf_1","object":"shelf","items":{"object":"list","data":[
              {"id":"book_1","object":"book","name":"Dune","format":"ebook","genre":"fiction","quantity":0,"price":"12.50 EUR","tags":"classic,space","author":{"id":"auth_1","object":"author","name":"Frank Herbert"},"in_stock":false,"thick":true,"legacy_isbn":"none"},
              {"id":"book_2","object":"book","name":"Maus","format":"paper","genre":"fiction","quantity":3,"price":"9.99 USD","tags":"","author":{"id":"auth_2","object":"author","name":"Art Spiegelman"},"in_stock":true,"thick":false,"legacy_isbn":"none"}
            ],"has_more":false,"url":"/v1/shelves/shelf_1/books"},"featured":{"id":"auth_3","object":"author","name":"Ursula K. Le Guin"}}
            """),
        ("2021-01-01", """
            {"id":"shelf_1","object":"shelf","items":{"object":"list","data":[
              {"id":"book_1","object":"book","title":"Dune","format":"ebook","genre":"fiction","quantity":0,"price":"12.50 EUR","tags":"classic,space","author":{"id":"auth_1","object":"author","name":"Frank Herbert"},"in_stock":false,"thick":true,"legacy_isbn":"none"},
              {"id":"book_2","object":"book","title":"Maus","format":"paper","genre":"fiction","quantity":3,"price":"9.99 USD","tags":"","author":{"id":"auth_2","object":"author","name":"Art Spiegelman"},"in_stock":true,"thick":false,"legacy_isbn":"none"}
            ],"has_more":false,"url":"/v1/shelves/shelf_1/books"},"featured":{"id":"auth_3","object":"author","name":"Ursula K. Le Guin"}}
            """),
        ("2021-06-01", """
            {"id":"shelf_1","object":"shelf","items":{"object":"list","data":[
              {"id":"book_1","object":"book","title":"Dune","format":"audio","genre":"fiction","quantity":0,"price":"12.50 EUR","tags":"classic,space","author":{"id":"auth_1","object":"author","name":"Frank Herbert"},"in_stock":false,"thick":true,"legacy_isbn":"none"},
              {"id":"book_2","object":"book","title":"Maus","format":"paper","genre":"fiction","quantity":3,"price":"9.99 USD","tags":"","author":{"id":"auth_2","object":"author","name":"Art Spiegelman"},"in_stock":true,"thick":false,"legacy_isbn":"none"}
            ],"has_more":false,"url":"/v1/shelves/shelf_1/books"},"featured":{"id":"auth_3","object":"author","name":"Ursula K. Le Guin"}}
            """),
        ("2021-09-01", """
            {"id":"shelf_1","object":"shelf","items":{"object":"list","data":[
              {"id":"book_1","object":"book","title":"Dune","format":"audio","genre":"fiction","quantity":0,"price":"12.50 EUR","tags":"classic,space","author":{"id":"auth_1","object":"author","name":"Frank Herbert"},"in_stock":false,"thick":true},
              {"id":"book_2","object":"book","title":"Maus","format":"paper","genre":"fiction","quantity":3,"price":"9.99 USD","tags":"","author":{"id":"auth_2","object":"author","name":"Art Spiegelman"},"in_stock":true,"thick":false}
            ],"has_more":false,"url":"/v1/shelves/shelf_1/books"},"featured":{"id":"auth_3","object":"author","name":"Ursula K. Le Guin"}}
            """),
        ("2022-01-01", """
            {"id":"shelf_1","object":"shelf","items":{"object":"list","data":[
              {"id":"book_1","object":"book","title":"Dune","format":"audio","genre":"fiction","quantity":0,"price":"12.50 EUR","tags":"classic,space","author":{"id":"auth_1","object":"author","display_name":"Frank Herbert"},"in_stock":false,"thick":true},
              {"id":"book_2","object":"book","title":"Maus","format":"paper","genre":"fiction","quantity":3,"price":"9.99 USD","tags":"","author":{"id":"auth_2","object":"author","display_name":"Art Spiegelman"},"in_stock":true,"thick":false}
            ],"has_more":false,"url":"/v1/shelves/shelf_1/books"},"featured":{"id":"auth_3","object":"author","display_name":"Ursula K. Le Guin"}}
            """),
        ("2022-03-01", """
            {"id":"shelf_1","object":"shelf","items":{"object":"list","data":[
              {"id":"book_1","object":"book","title":"Dune","format":"audio","genre":"fiction","quantity":0,"price":"12.50 EUR","tags":"classic,space","author":{"id":"auth_1","object":"author","display_name":"Frank Herbert"},"in_stock":false,"thick":true},
              {"id":"book_2","object":"book","title":"Maus","format":"paper","genre":"graphic_novel","quantity":3,"price":"9.99 USD","tags":"","author":{"id":"auth_2","object":"author","display_name":"Art Spiegelman"},"in_stock":true,"thick":false}
            ],"has_more":false,"url":"/v1/shelves/shelf_1/books"},"featured":{"id":"auth_3","object":"author","display_name":"Ursula K. Le Guin"}}
            """),
        ("2022-06-01", """
            {"id":"shelf_1","object":"shelf","items":{"object":"list","data":[
              {"id":"book_1","object":"book","title":"Dune","format":"audio","genre":"fiction","page_count":412,"quantity":0,"price":"12.50 EUR","tags":"classic,space","author":{"id":"auth_1","object":"author","display_name":"Frank Herbert"},"in_stock":false,"thick":true},
              {"id":"book_2","object":"book","title":"Maus","format":"paper","genre":"graphic_novel","page_count":296,"quantity":3,"price":"9.99 USD","tags":"","author":{"id":"auth_2","object":"author","display_name":"Art Spiegelman"},"in_stock":true,"thick":false}
            ],"has_more":false,"url":"/v1/shelves/shelf_1/books"},"featured":{"id":"auth_3","object":"author","display_name":"Ursula K. Le Guin"}}
            """),
        ("2022-09-01", """
            {"id":"shelf_1","object":"shelf","items":{"object":"list","data":[
              {"id":"book_1","object":"book","title":"Dune","format":"audio","genre":"fiction","page_count":412,"quantity":0,"price":"12.50 EUR","tags":"classic,space","author":{"id":"auth_1","object":"author","display_name":"Frank Herbert"},"in_stock":false},
              {"id":"book_2","object":"book","title":"Maus","format":"paper","genre":"graphic_novel","page_count":296,"quantity":3,"price":"9.99 USD","tags":"","author":{"id":"auth_2","object":"author","display_name":"Art Spiegelman"},"in_stock":true}
            ],"has_more":false,"url":"/v1/shelves/shelf_1/books"},"featured":{"id":"auth_3","object":"author","display_name":"Ursula K. Le Guin"}}
            """),
        ("2023-01-01", """
            {"id":"shelf_1","object":"shelf","items":{"object":"list","data":[
              {"id":"book_1","object":"book","title":"Dune","format":"audio","genre":"fiction","page_count":412,"quantity":0,"price":"12.50 EUR","tags":"classic,space","author":{"id":"auth_1","object":"author","display_name":"Frank Herbert"}},
              {"id":"book_2","object":"book","title":"Maus","format":"paper","genre":"graphic_novel","page_count":296,"quantity":3,"price":"9.99 USD","tags":"","author":{"id":"auth_2","object":"author","display_name":"Art Spiegelman"}}
            ],"has_more":false,"url":"/v1/shelves/shelf_1/books"},"featured":{"id":"auth_3","object":"author","display_name":"Ursula K. Le Guin"}}
            """),
        ("2023-06-01", """
            {"id":"shelf_1","object":"shelf","items":{"object":"list","data":[
              {"id":"book_1","object":"book","title":"Dune","format":"audio","genre":"fiction","page_count":412,"quantity":0,"price":{"amount":1250,"currency":"eur"},"tags":"classic,space","author":{"id":"auth_1","object":"author","display_name":"Frank Herbert"}},
              {"id":"book_2","object":"book","title":"Maus","format":"paper","genre":"graphic_novel","page_count":296,"quantity":3,"price":{"amount":999,"currency":"usd"},"tags":"","author":{"id":"auth_2","object":"author","display_name":"Art Spiegelman"}}
            ],"has_more":false,"url":"/v1/shelves/shelf_1/books"},"featured":{"id":"auth_3","object":"author","display_name":"Ursula K. Le Guin"}}
            """),
        ("2024-01-01", """
            {"id":"shelf_1","object":"shelf","items":{"object":"list","data":[
              {"id":"book_1","object":"book","title":"Dune","format":"audio","genre":"fiction","page_count":412,"quantity":0,"price":{"amount":1250,"currency":"eur"},"tags":["classic","space"],"author":{"id":"auth_1","object":"author","display_name":"Frank Herbert"}},
              {"id":"book_2","object":"book","title":"Maus","format":"paper","genre":"graphic_novel","page_count":296,"quantity":3,"price":{"amount":999,"currency":"usd"},"tags":[],"author":{"id":"auth_2","object":"author","display_name":"Art Spiegelman"}}
            ],"has_more":false,"url":"/v1/shelves/shelf_1/books"},"featured":{"id":"auth_3","object":"author","display_name":"Ursula K. Le Guin"}}
            """),
        ("2024-06-01", """
            {"id":"shelf_1","object":"shelf","books":{"object":"list","data":[
              {"id":"book_1","object":"book","title":"Dune","format":"audio","genre":"fiction","page_count":412,"quantity":0,"price":{"amount":1250,"currency":"eur"},"tags":["classic","space"],"author":{"id":"auth_1","object":"author","display_name":"Frank Herbert"}},
              {"id":"book_2","object":"book","title":"Maus","format":"paper","genre":"graphic_novel","page_count":296,"quantity":3,"price":{"amount":999,"currency":"usd"},"tags":[],"author":{"id":"auth_2","object":"author","display_name":"Art Spiegelman"}}
            ],"has_more":false,"url":"/v1/shelves/shelf_1/books"},"featured":{"id":"auth_3","object":"author","display_name":"Ursula K. Le Guin"}}
            """),
    ];

    [Fact]
    public async Task The_app_published_with_NativeAOT_has_no_warning_and_renders_every_version_as_written_by_hand()
    {
        string repository = FindRepository();
        string root = Directory.CreateTempSubdirectory("versionkit-aot-").FullName;
        try
        {
            string publish = Path.Combine(root, "publish");
            var clock = Stopwatch.StartNew();
            var (exitCode, output) = await Command.RunAsync(
                "dotnet",
                [
                    "publish", Path.Combine(repository, "tests", "VersionKit.Aot.Tests", "App", "AotApp.csproj"),
                    "-c", "Release", "-r", "linux-x64", "-o", publish,
                    // the app and what it references are built into the test's own folder: the repository's bin/ and obj/ are left alone
                    "--artifacts-path", Path.Combine(root, "build"),
                    "-nodeReuse:false", "-tl:off",
                ],
                root,
                Environment,
                PublishTimeout);
            log.WriteLine($"dotnet publish: exit {exitCode} in {clock.Elapsed.TotalSeconds:0} s\n{output}");

            Assert.True(exitCode == 0, "The NativeAOT publish failed:\n" + output);
            string[] warnings = [.. output.Split('\n').Where(line => WarningLine().IsMatch(line))];
            Assert.True(warnings.Length == 0, "The NativeAOT publish reported warnings:\n" + string.Join('\n', warnings));
            Assert.Contains("Generating native code", output, StringComparison.Ordinal);

            // A native executable, nothing managed beside it to fall back on.
            string binary = Path.Combine(publish, "AotApp");
            Assert.True(File.Exists(binary), "no native executable at " + binary);
            Assert.Equal("\u007fELF"u8.ToArray(), (await File.ReadAllBytesAsync(binary))[..4]);
            Assert.False(File.Exists(Path.Combine(publish, "AotApp.dll")), "a managed AotApp.dll was published beside the native binary");
            log.WriteLine($"{binary}: {new FileInfo(binary).Length:N0} bytes");

            var (runExit, printed) = await Command.RunAsync(binary, [], publish, Environment, RunTimeout);
            log.WriteLine($"AotApp: exit {runExit}\n{printed}");

            // Exit 1 is the app's own verdict that the reference chain disagrees; it prints both sides.
            Assert.True(runExit == 0, $"AotApp exited {runExit}:\n{printed}");
            string[] lines = printed.TrimEnd('\n').Split('\n');
            Assert.True(lines.Length == Expected.Length + 1, $"AotApp printed {lines.Length} lines, not one per version and the verdict:\n{printed}");
            for (int i = 0; i < Expected.Length; i++)
            {
                // one line at a time, so that a failure points at the version and the first character that differs
                Assert.Equal($"{Expected[i].Version} {Compact(Expected[i].Json)}", lines[i]);
            }

            Assert.Equal("reference path agrees: true", lines[^1]);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    /// <summary>The hand-written JSON on one line, as the app prints it: the same fields in the same order.</summary>
    private static string Compact(string json) => JsonNode.Parse(json)!.ToJsonString();

    /// <summary>No telemetry or first-run text in the output, and English messages, so that warnings read as the test expects.</summary>
    private static Dictionary<string, string?> Environment => new()
    {
        ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
        ["DOTNET_NOLOGO"] = "1",
        ["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1",
        ["DOTNET_CLI_UI_LANGUAGE"] = "en",
        ["MSBUILDDISABLENODEREUSE"] = "1",
    };

    private static string FindRepository()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "VersionKit.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("The repository (a folder with VersionKit.sln) is not above " + AppContext.BaseDirectory);
    }
}
