namespace VersionKit.Testing;

/// <summary>
/// Some versions rendered differently from their verified snapshots, or have none yet. The message names each version
/// and shows its diff (or, for a new snapshot, what was received); a <c>.received.json</c> file is beside each
/// <c>.verified.json</c>.
/// </summary>
public sealed class SnapshotMismatchException : Exception
{
    /// <summary>Creates the exception.</summary>
    public SnapshotMismatchException(string message, IReadOnlyList<ApiVersion> versions)
        : base(message)
        => Versions = versions;

    /// <summary>The versions whose snapshots did not match or were missing.</summary>
    public IReadOnlyList<ApiVersion> Versions { get; }
}
