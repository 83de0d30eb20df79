namespace VersionKit;

/// <summary>
/// A request is not what its version takes: a field the version does not have (<see cref="UnknownField"/>), two names of one
/// field, a value of the wrong type, or not the shape a request change expects. Over HTTP it becomes a <c>400</c> naming
/// <see cref="Field"/> as the caller sent it; the handler never runs.
/// </summary>
public sealed class RequestShapeException : Exception
{
    /// <summary>Creates the exception for <paramref name="field"/>.</summary>
    /// <param name="field">The parameter that has the wrong shape, or <see langword="null"/> when it is the request as a whole.</param>
    /// <param name="message">What is wrong, for the caller.</param>
    public RequestShapeException(string? field, string message)
        : base(message)
        => Field = field;

    /// <summary>Creates the exception for <paramref name="field"/>, saying whether the field is one the caller's version does not have.</summary>
    /// <param name="field">The parameter, in the name the caller sent.</param>
    /// <param name="message">What is wrong, for the caller.</param>
    /// <param name="unknownField">The caller's version has no such field (Stripe's <c>parameter_unknown</c>).</param>
    public RequestShapeException(string? field, string message, bool unknownField)
        : base(message)
    {
        Field = field;
        UnknownField = unknownField;
    }

    /// <summary>Creates the exception for <paramref name="field"/>, keeping what caused it.</summary>
    public RequestShapeException(string? field, string message, Exception innerException)
        : base(message, innerException)
        => Field = field;

    /// <summary>The parameter that has the wrong shape, or <see langword="null"/>.</summary>
    public string? Field { get; }

    /// <summary>Whether <see cref="Field"/> is a field the caller's version does not have, rather than one of the wrong shape.</summary>
    public bool UnknownField { get; }
}
