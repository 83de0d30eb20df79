using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace VersionKit.AspNetCore;

/// <summary>
/// Renders what a versioned handler returns (a plain value, a value in a typed result, or an MVC <see cref="ObjectResult"/>)
/// at the request's version. Problems and results without a value pass through.
/// </summary>
internal sealed class VersionKitEndpointFilter : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var features = context.HttpContext.Features;
        if (features.Get<ApiVersionFeature>() is null)
        {
            throw new InvalidOperationException("VersionKit has not resolved a version for this request: routing resolves it for endpoints marked WithVersionKit() once services.AddVersionKit(history) is registered; call app.UseVersionKit() after routing.");
        }

        if (features.Get<UpgradedRequestFeature>() is null)
        {
            // Without the middleware an old caller's body would reach the handler in its old shape: fail, rather than misread it.
            throw new InvalidOperationException("This versioned request did not go through app.UseVersionKit(), which upgrades old requests before the handler runs: call app.UseVersionKit() (after routing and authentication, before the endpoints run).");
        }

        return Versioned(await next(context).ConfigureAwait(false));
    }

    private static object? Versioned(object? result) => result switch
    {
        null or string or VersionedJsonResult => result,
        ProblemHttpResult or ValidationProblem => result,
        IValueHttpResult { Value: ProblemDetails } => result,
        ObjectResult { Value: ProblemDetails or string } => result,
        ObjectResult { Value: { } value } objectResult => new VersionedJsonResult(value, objectResult.StatusCode ?? StatusCodes.Status200OK, null),
        IValueHttpResult { Value: { } value } and IStatusCodeHttpResult { StatusCode: var status }
            => new VersionedJsonResult(value, status ?? StatusCodes.Status200OK, (result as IContentTypeHttpResult)?.ContentType),
        IResult or IActionResult => result,
        _ => new VersionedJsonResult(result, StatusCodes.Status200OK, null),
    };
}
