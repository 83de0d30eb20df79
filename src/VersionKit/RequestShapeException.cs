namespace VersionKit;

/// <summary>
/// A request sent at an older version is not the shape its version's request changes expect. Over HTTP it becomes a
/// <c>400</c> problem naming <see cref="Field"/>; the handler never runs.
/// </summary>
public sealed class RequestShapeException : Exception
{
    /// <summary>Creates the exception for <paramref name="field"/>.</summary>
    /// <param name="field">The parameter that has the wrong shape, or <see langword="null"/> when it is the request as a whole.</param>
    /// <param name="message">What is wrong, for the caller.</param>
    public RequestShapeException(string? field, string message)
        : base(message)
        => Field = field;

    /// <summary>Creates the exception for <paramref name="field"/>, keeping what caused it.</summary>
    public RequestShapeException(string? field, string message, Exception innerException)
        : base(message, innerException)
        => Field = field;

    /// <summary>The parameter that has the wrong shape, or <see langword="null"/>.</summary>
    public string? Field { get; }
}
