namespace VersionKit.Testing;

/// <summary>
/// What was rendered differs from its verified snapshot, or has none yet. From <see cref="VersionSnapshots"/>, the message
/// names each version and shows its diff (or, for a new snapshot, what was received), and a <c>.received.json</c> file is
/// beside each <c>.verified.json</c>; from <see cref="TextSnapshot"/>, the message shows the diff of the text, and the
/// received file is beside the checked-in one.
/// </summary>
public sealed class SnapshotMismatchException : Exception
{
    /// <summary>Creates the exception.</summary>
    public SnapshotMismatchException(string message, IReadOnlyList<ApiVersion> versions)
        : base(message)
        => Versions = versions;

    /// <summary>The versions whose snapshots did not match or were missing; empty for a <see cref="TextSnapshot"/>.</summary>
    public IReadOnlyList<ApiVersion> Versions { get; }
}
