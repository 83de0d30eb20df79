using Microsoft.AspNetCore.Http;

namespace VersionKit.AspNetCore;

/// <summary>VersionKit's own error responses, as problem+json.</summary>
internal static class Problems
{
    public static IResult InvalidVersion(string detail, string headerName, ApiHistory history)
        => TypedResults.Problem(
            title: "Invalid API version",
            detail: detail,
            statusCode: StatusCodes.Status400BadRequest,
            extensions: new Dictionary<string, object?>
            {
                ["header"] = headerName,
                ["valid_versions"] = history.Versions.Select(v => v.ToString()).ToArray(),
            });

    public static IResult InvalidRequest(string detail, string? param)
        => TypedResults.Problem(
            title: "Invalid request",
            detail: detail,
            statusCode: StatusCodes.Status400BadRequest,
            extensions: param is null ? null : new Dictionary<string, object?> { ["param"] = param });

    public static IResult UnreadableRequest(int statusCode, string detail)
        => TypedResults.Problem(
            title: statusCode == StatusCodes.Status413PayloadTooLarge ? "Request body too large" : "Invalid request",
            detail: detail,
            statusCode: statusCode);

    public static IResult Unavailable()
        => TypedResults.Problem(
            title: "Service unavailable",
            detail: "The account's API version cannot be read right now; retry after the time in Retry-After.",
            statusCode: StatusCodes.Status503ServiceUnavailable);

    public static IResult RenderFailed(ApiVersion version)
        => TypedResults.Problem(
            title: "Internal server error",
            detail: "The response could not be rendered at API version " + version + ".",
            statusCode: StatusCodes.Status500InternalServerError);
}
