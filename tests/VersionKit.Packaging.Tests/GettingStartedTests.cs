using System.Text.RegularExpressions;
using Xunit.Abstractions;

namespace VersionKit.Packaging.Tests;

/// <summary>
/// docs/getting-started.md, followed to the letter in an empty folder with the packages just packed: its commands run,
/// its files are written, and every output it shows is checked. The page is the test's script.
/// </summary>
[Collection(nameof(LocalFeed))]
public partial class GettingStartedTests(LocalFeed feed, ITestOutputHelper log)
{
    private const string GuideAddress = "http://127.0.0.1:5080";

    // Where the guide has the reader pack the packages; the feed this test packed stands in for it.
    private const string GuideFeed = "~/versionkit-feed";

    [GeneratedRegex("-H \"(?<name>[^:\"]+): (?<value>[^\"]*)\"")]
    private static partial Regex CurlHeader();

    [GeneratedRegex(@"Now listening on: (?<address>http://127\.0\.0\.1:\d+)")]
    private static partial Regex Listening();

    [Fact]
    public async Task A_new_project_built_as_the_guide_says_serves_every_version_and_passes_its_snapshot_test()
    {
        var steps = Guide.Parse(await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "docs", "getting-started.md")));
        string root = feed.NewFolder("guide", withNuGetConfig: false);
        string directory = root;
        Command? server = null;
        Uri? serverAddress = null;
        string? lastResponse = null;
        string lastOutput = "";
        try
        {
            foreach (var step in steps)
            {
                switch (step)
                {
                    case ShellStep { Line: var line } when line.StartsWith("cd ", StringComparison.Ordinal):
                        directory = Path.GetFullPath(Path.Combine(directory, line[3..]));
                        Assert.True(Directory.Exists(directory), $"'{line}': no such folder {directory}");
                        break;
                    case ShellStep { Line: var line } when line.StartsWith("dotnet run", StringComparison.Ordinal):
                        // Any free port instead of the guide's: the address it listens on is read from its log.
                        Assert.Contains(GuideAddress, line, StringComparison.Ordinal);
                        server = Command.Start("dotnet", line.Replace(GuideAddress, "http://127.0.0.1:0", StringComparison.Ordinal).Split(' ')[1..], directory, feed.Environment);
                        string listening = await server.WaitForLineAsync(l => Listening().IsMatch(l), LocalFeed.CommandTimeout);
                        serverAddress = new Uri(Listening().Match(listening).Groups["address"].Value);
                        log.WriteLine($"$ {line}\n{listening}");
                        break;
                    case ShellStep { Line: var line } when line.StartsWith("curl ", StringComparison.Ordinal):
                        Assert.NotNull(serverAddress);
                        lastResponse = await CurlAsync(line, serverAddress);
                        break;
                    case ShellStep shell:
                        // The app from 'dotnet run' is stopped (Ctrl+C in the guide) before anything else runs.
                        server?.Dispose();
                        server = null;
                        lastOutput = await RunAsync(shell with { Line = shell.Line.Replace(GuideFeed, feed.Feed, StringComparison.Ordinal) }, directory);
                        break;
                    case FileStep file:
                        string path = Path.Combine(root, file.Path);
                        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                        await File.WriteAllTextAsync(path, file.Content);
                        break;
                    case ExpectedResponseStep response:
                        Assert.Equal(response.Body, lastResponse);
                        break;
                    case ExpectedOutputStep printed:
                        Assert.All(printed.Lines, l => Assert.Contains(l, lastOutput, StringComparison.Ordinal));
                        break;
                    case ExpectedFileStep expected:
                        Assert.Equal(expected.Content, (await File.ReadAllTextAsync(Path.Combine(root, expected.Path))).ReplaceLineEndings("\n"));
                        break;
                }
            }
        }
        finally
        {
            server?.Dispose();
        }

        // The guide's commands did reach each kind of step: its own feed, a build that serves, old shapes, a snapshot test.
        Assert.Contains(steps, s => s is ShellStep { Line: var line } && line.Contains(GuideFeed, StringComparison.Ordinal));
        Assert.True(File.Exists(Path.Combine(root, "nuget.config")), "the guide writes the nuget.config");
        Assert.Contains(steps, s => s is ExpectedResponseStep);
        Assert.Contains(steps, s => s is ExpectedFileStep);
        Assert.Contains(steps, s => s is ShellStep { ExpectFailure: true, Line: "dotnet test" });

        // The generator ran in the compiler only: nothing of it, nor of Roslyn, is in what the app loads.
        string output = Path.Combine(root, "PaymentsApi", "bin", "Debug", "net10.0");
        Assert.True(File.Exists(Path.Combine(output, "VersionKit.dll")), "the app references VersionKit from its package");
        Assert.Empty(Directory.GetFiles(output, "VersionKit.Generators*"));
        Assert.Empty(Directory.GetFiles(output, "Microsoft.CodeAnalysis*"));
        string deps = await File.ReadAllTextAsync(Path.Combine(output, "PaymentsApi.deps.json"));
        Assert.DoesNotContain("Generators", deps, StringComparison.Ordinal);
        Assert.DoesNotContain("CodeAnalysis", deps, StringComparison.Ordinal);
        Assert.Contains($"\"VersionKit/{feed.Version}\"", deps, StringComparison.Ordinal);
    }

    private async Task<string> RunAsync(ShellStep shell, string directory)
    {
        var (exitCode, output) = await Command.RunAsync("bash", ["-c", shell.Line], directory, feed.Environment, LocalFeed.CommandTimeout);
        log.WriteLine($"$ {shell.Line}  (exit {exitCode})\n{output}");
        Assert.True(shell.ExpectFailure == (exitCode != 0), $"'{shell.Line}' in {directory} exited {exitCode}, expected {(shell.ExpectFailure ? "a failure" : "0")}:\n{output}");

        if (shell.Line.StartsWith("dotnet new xunit", StringComparison.Ordinal))
        {
            PinTestRunner(directory, shell.Line);
        }

        return output;
    }

    // The one change to the guide's steps: the xunit template names xunit.runner.visualstudio 3.1.4, which this machine's
    // package registry does not serve; the repository's own version (Directory.Packages.props) stands in for it.
    private void PinTestRunner(string directory, string line)
    {
        string project = Directory.GetFiles(Path.Combine(directory, line.Split(' ')[^1]), "*.csproj").Single();
        string pinned = Regex.Match(
            File.ReadAllText(Path.Combine(feed.Repository, "Directory.Packages.props")),
            "\"xunit.runner.visualstudio\" Version=\"(?<version>[^\"]+)\"").Groups["version"].Value;
        File.WriteAllText(project, Regex.Replace(File.ReadAllText(project), "(\"xunit.runner.visualstudio\" Version=\")[^\"]+", "${1}" + pinned));
    }

    private async Task<string> CurlAsync(string line, Uri server)
    {
        string url = line.Split(' ')[^1].Replace(GuideAddress, server.GetLeftPart(UriPartial.Authority), StringComparison.Ordinal);
        using var client = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        string? version = null;
        foreach (Match header in CurlHeader().Matches(line))
        {
            request.Headers.TryAddWithoutValidation(header.Groups["name"].Value, header.Groups["value"].Value);
            if (header.Groups["name"].Value == "Stripe-Version")
            {
                version = header.Groups["value"].Value;
            }
        }

        using var response = await client.SendAsync(request);
        string body = await response.Content.ReadAsStringAsync();
        log.WriteLine($"$ {line}\n{(int)response.StatusCode} {body}");
        Assert.True(response.IsSuccessStatusCode, $"'{line}' answered {(int)response.StatusCode}: {body}");
        string echoed = response.Headers.GetValues("Stripe-Version").Single();
        if (version is not null)
        {
            Assert.Equal(version, echoed);
        }

        return body;
    }
}
