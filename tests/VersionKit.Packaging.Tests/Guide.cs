using System.Text.RegularExpressions;

namespace VersionKit.Packaging.Tests;

/// <summary>One step of a guide, in the order the page shows it.</summary>
public abstract record GuideStep;

/// <summary>A line of a <c>sh</c> block; <c># fails</c> after it says the command is expected to fail.</summary>
public sealed record ShellStep(string Line, bool ExpectFailure) : GuideStep;

/// <summary>A code block under a <c>`path`:</c> line: the file to write.</summary>
public sealed record FileStep(string Path, string Content) : GuideStep;

/// <summary>A <c>json</c> block under a <c>`path`:</c> line: what that file must hold by then.</summary>
public sealed record ExpectedFileStep(string Path, string Content) : GuideStep;

/// <summary>A <c>json</c> block after a <c>curl</c>: the body it answers.</summary>
public sealed record ExpectedResponseStep(string Body) : GuideStep;

/// <summary>A <c>text</c> block: lines the previous command printed.</summary>
public sealed record ExpectedOutputStep(IReadOnlyList<string> Lines) : GuideStep;

/// <summary>Reads the steps of a Markdown guide from its fenced blocks.</summary>
public static partial class Guide
{
    [GeneratedRegex(@"^```(?<language>\w+)\n(?<body>.*?)^```$", RegexOptions.Singleline | RegexOptions.Multiline)]
    private static partial Regex Fence();

    [GeneratedRegex(@"^`(?<path>[^`]+)`:$")]
    private static partial Regex FileLabel();

    public static IReadOnlyList<GuideStep> Parse(string markdown)
    {
        markdown = markdown.ReplaceLineEndings("\n");
        var steps = new List<GuideStep>();
        foreach (Match fence in Fence().Matches(markdown))
        {
            string body = fence.Groups["body"].Value;
            string? path = markdown[..fence.Index].TrimEnd('\n').Split('\n')[^1] is var label && FileLabel().Match(label) is { Success: true } m
                ? m.Groups["path"].Value
                : null;
            switch (fence.Groups["language"].Value, path)
            {
                case ("sh", _):
                    foreach (string line in body.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                    {
                        int comment = line.IndexOf(" #", StringComparison.Ordinal);
                        string command = comment < 0 ? line : line[..comment].TrimEnd();
                        bool fails = comment >= 0 && line[comment..].Contains("fails", StringComparison.Ordinal);
                        steps.Add(new ShellStep(command, fails));
                    }

                    break;
                case ("json", { } file):
                    steps.Add(new ExpectedFileStep(file, body));
                    break;
                case ("json", null):
                    steps.Add(new ExpectedResponseStep(body.TrimEnd('\n')));
                    break;
                case ("text", _):
                    steps.Add(new ExpectedOutputStep(body.Split('\n', StringSplitOptions.RemoveEmptyEntries)));
                    break;
                case (_, { } file):
                    steps.Add(new FileStep(file, body));
                    break;
                default:
                    throw new InvalidOperationException($"A '{fence.Groups["language"].Value}' block with no `path`: label above it is not a step the test knows: {body}");
            }
        }

        return steps;
    }
}
