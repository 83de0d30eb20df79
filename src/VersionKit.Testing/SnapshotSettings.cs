namespace VersionKit.Testing;

/// <summary>How the snapshots of one test are laid out on disk.</summary>
public enum SnapshotLayout
{
    /// <summary>
    /// One file per version, <c>{Class}.{Method}.{version}.verified.json</c>: a change that breaks an old version shows
    /// as a diff in that version's file alone.
    /// </summary>
    FilePerVersion,

    /// <summary>
    /// One file per test, <c>{Class}.{Method}.verified.json</c>, an object with one member per version, oldest first.
    /// </summary>
    Combined,
}

/// <summary>
/// What <see cref="VersionSnapshots"/> renders, where it keeps the files, and what it scrubs. Immutable: derive variants
/// with <see langword="with"/> (<c>snapshots.Settings with { Layout = SnapshotLayout.Combined }</c>).
/// </summary>
public sealed record SnapshotSettings
{
    /// <summary>The name of the environment variable that, set to <c>1</c> or <c>true</c>, accepts every received snapshot as verified.</summary>
    public const string AcceptEnvironmentVariable = "VERSIONKIT_ACCEPT_SNAPSHOTS";

    /// <summary>Every version, one file per version next to the test, the default scrubbers, the <c>Stripe-Version</c> header.</summary>
    public static SnapshotSettings Default { get; } = new();

    /// <summary>The versions to snapshot, or <see langword="null"/> (the default) for every version of the history.</summary>
    public IReadOnlyList<ApiVersion>? Versions { get; init; }

    /// <summary>One file per version (the default) or one combined file per test.</summary>
    public SnapshotLayout Layout { get; init; } = SnapshotLayout.FilePerVersion;

    /// <summary>
    /// The folder of the snapshot files. <see langword="null"/> (the default) is the test's source folder; a relative path
    /// is taken from there (<c>"Snapshots"</c>).
    /// </summary>
    public string? Directory { get; init; }

    /// <summary>
    /// The file name before the version, in place of <c>{Class}.{Method}</c>. Needed when one test verifies more than
    /// one value (each call its own name), as in a theory (include the case's data).
    /// </summary>
    public string? FileName { get; init; }

    /// <summary>What replaces volatile values before comparing; <see cref="JsonScrubber.Defaults"/> unless set.</summary>
    public IReadOnlyList<JsonScrubber> Scrubbers { get; init; } = JsonScrubber.Defaults;

    /// <summary>The request header that names the version, for live responses; the app echoes it in the response.</summary>
    public string VersionHeader { get; init; } = "Stripe-Version";

    /// <summary>
    /// Whether a snapshot that differs or is missing is written as verified and the test passes. <see langword="null"/>
    /// (the default) reads <see cref="AcceptEnvironmentVariable"/> at each verification.
    /// </summary>
    public bool? AcceptReceived { get; init; }

    internal bool ShouldAccept => AcceptReceived ?? AcceptedByEnvironment;

    /// <summary>Whether <see cref="AcceptEnvironmentVariable"/> is set to accept, read now: tests may set it while the process runs.</summary>
    internal static bool AcceptedByEnvironment
        => Environment.GetEnvironmentVariable(AcceptEnvironmentVariable) is "1" or "true" or "TRUE" or "True";
}
