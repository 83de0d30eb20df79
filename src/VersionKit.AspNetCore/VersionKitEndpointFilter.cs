using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace VersionKit.AspNetCore;

/// <summary>
/// Resolves the caller's version before the handler runs (a bad version gets <c>400</c> problem+json and the handler
/// never runs), echoes it in the response header, and renders what the handler returns at that version.
/// </summary>
internal sealed class VersionKitEndpointFilter(ApiHistory history, IOptions<VersionKitOptions> options) : IEndpointFilter
{
    private readonly string _headerName = options.Value.HeaderName;

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var httpContext = context.HttpContext;
        if (httpContext.Features.Get<ApiVersionFeature>() is null)
        {
            if (Resolve(httpContext.Request.Headers[_headerName]) is { } problem)
            {
                return problem;
            }
        }

        var feature = httpContext.Features.Get<ApiVersionFeature>()!;
        httpContext.Response.Headers[_headerName] = feature.Version.ToString();
        return Versioned(await next(context).ConfigureAwait(false));

        IResult? Resolve(Microsoft.Extensions.Primitives.StringValues values)
        {
            if (values.Count == 0)
            {
                httpContext.Features.Set(new ApiVersionFeature(history.Latest, ApiVersionSource.Default));
                return null;
            }

            // A header sent twice may arrive as two values or, per RFC 9110, as one value joined by commas.
            int sent = values.Count == 1 ? values[0]!.Count(c => c == ',') + 1 : values.Count;
            string? error = null;
            if (sent > 1)
            {
                error = $"The {_headerName} header was sent {sent} times; send it once. Valid versions: {string.Join(", ", history.Versions)}.";
            }
            else if (history.TryResolve(values[0], out var version, out error))
            {
                httpContext.Features.Set(new ApiVersionFeature(version, ApiVersionSource.Header));
                return null;
            }

            return TypedResults.Problem(
                title: "Invalid API version",
                detail: error,
                statusCode: StatusCodes.Status400BadRequest,
                extensions: new Dictionary<string, object?>
                {
                    ["header"] = _headerName,
                    ["valid_versions"] = history.Versions.Select(v => v.ToString()).ToArray(),
                });
        }
    }

    private static object? Versioned(object? result) => result switch
    {
        null or string or VersionedJsonResult => result,
        ProblemHttpResult or ValidationProblem => result,
        IValueHttpResult { Value: ProblemDetails } => result,
        IValueHttpResult { Value: { } value } and IStatusCodeHttpResult { StatusCode: var status }
            => new VersionedJsonResult(value, status ?? StatusCodes.Status200OK),
        IResult => result,
        _ => new VersionedJsonResult(result, StatusCodes.Status200OK),
    };
}
