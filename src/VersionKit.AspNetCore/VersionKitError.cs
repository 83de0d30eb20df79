using Microsoft.AspNetCore.Http;

namespace VersionKit.AspNetCore;

/// <summary>
/// An error VersionKit answers on the app's behalf: a bad version, a request its version cannot send, an endpoint its
/// version does not have, pins that cannot be read, a response that cannot be rendered. An
/// <see cref="IVersionKitErrorFactory"/> turns it into the app's own error; by default it is
/// <c>application/problem+json</c> with <see cref="Code"/> as <c>code</c>.
/// </summary>
/// <param name="StatusCode">The HTTP status.</param>
/// <param name="Code">What went wrong, stable and machine-readable: one of <see cref="VersionKitErrorCodes"/>.</param>
/// <param name="Message">What went wrong, for a person: says what was sent and what would be accepted, never .NET's text.</param>
public sealed record VersionKitError(int StatusCode, string Code, string Message)
{
    /// <summary>The request field the error is about, in the name the caller sent (its version's name).</summary>
    public string? Param { get; init; }

    /// <summary>The caller's version, when it is known; an error made by the factory is rendered at it.</summary>
    public ApiVersion? Version { get; init; }

    /// <summary>More that a client can act on (the valid versions, the version that introduced an endpoint...), by name.</summary>
    public IReadOnlyDictionary<string, object?> Details { get; init; } = new Dictionary<string, object?>();

    /// <summary>The error as a result a handler returns, answered as VersionKit answers its own (the app's error factory, else problem+json).</summary>
    public IResult ToResult() => new VersionKitErrorResult(this);
}

/// <summary>The <see cref="VersionKitError.Code"/>s VersionKit answers with.</summary>
public static class VersionKitErrorCodes
{
    /// <summary><c>400</c>: the version header is malformed, names no version of the API, or was sent more than once.</summary>
    public const string ApiVersionInvalid = "api_version_invalid";

    /// <summary>
    /// <c>410</c>: the caller's version is older than the oldest the API serves (<see cref="VersionKitOptions.MinimumSupportedVersion"/>);
    /// the error names the minimum, the latest version and the upgrade guide.
    /// </summary>
    public const string ApiVersionRetired = "api_version_retired";

    /// <summary><c>400</c>: the request has a field the caller's version does not have.</summary>
    public const string ParameterUnknown = "parameter_unknown";

    /// <summary><c>400</c>: a field of the request has the wrong shape, or two names of one field were sent together.</summary>
    public const string ParameterInvalid = "parameter_invalid";

    /// <summary><c>400</c> or <c>413</c>: the body cannot be read (not JSON or a form, not UTF-8, over the server's limits).</summary>
    public const string RequestMalformed = "request_malformed";

    /// <summary><c>404</c> (not yet) or <c>410</c> (no longer): the endpoint is not in the caller's version.</summary>
    public const string EndpointNotInVersion = "endpoint_not_in_version";

    /// <summary><c>503</c>: the account's pinned version cannot be read or changed right now; retry after <c>Retry-After</c>.</summary>
    public const string PinStoreUnavailable = "pin_store_unavailable";

    /// <summary><c>500</c>: the response could not be rendered at the caller's version (a change's code failed).</summary>
    public const string RenderFailed = "render_failed";
}

/// <summary>
/// Makes the app's error out of a <see cref="VersionKitError"/>, so that a caller reads every error in one shape: the
/// app's error resource, rendered at the caller's version like any response. Register it with
/// <c>AddVersionKit(...).UseErrors&lt;TFactory&gt;()</c>.
/// </summary>
public interface IVersionKitErrorFactory
{
    /// <summary>
    /// The body of the response to <paramref name="error"/> (its status is the error's), rendered at
    /// <see cref="VersionKitError.Version"/> or, when the version is not known, at the latest; <see langword="null"/> for
    /// VersionKit's problem+json.
    /// </summary>
    object? Create(VersionKitError error, HttpContext context);
}
