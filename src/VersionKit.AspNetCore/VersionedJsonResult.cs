using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace VersionKit.AspNetCore;

/// <summary>
/// Writes a current-shape value at the request's version. The whole body is rendered before the first byte is sent,
/// so a transformation that fails leaves a clean <c>500</c>, never half a body.
/// </summary>
internal sealed partial class VersionedJsonResult(object value, int statusCode, string? contentType) : IResult, IStatusCodeHttpResult, IValueHttpResult, IContentTypeHttpResult
{
    public int? StatusCode => statusCode;

    public object? Value => value;

    public string ContentType => contentType ?? "application/json; charset=utf-8";

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var services = httpContext.RequestServices;
        var renderer = services.GetRequiredService<VersionKitRenderers>().For(httpContext);
        var version = httpContext.GetApiVersion();
        using var body = new PooledBufferWriter();
        try
        {
            renderer.Render(body, value, version);
        }
        catch (RenderException exception)
        {
            var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("VersionKit.AspNetCore");
            LogRenderFailed(logger, exception, exception.ChangeType.Name, exception.Resource, exception.Version, version);
            await services.GetRequiredService<VersionKitErrors>().WriteAsync(httpContext, new VersionKitError(
                StatusCodes.Status500InternalServerError,
                VersionKitErrorCodes.RenderFailed,
                "The response could not be rendered at API version " + version + ".") { Version = version }).ConfigureAwait(false);
            return;
        }

        httpContext.Response.StatusCode = statusCode;
        httpContext.Response.ContentType = ContentType;
        httpContext.Response.ContentLength = body.WrittenCount;
        await httpContext.Response.Body.WriteAsync(body.WrittenMemory, httpContext.RequestAborted).ConfigureAwait(false);
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Error, Message = "Version change {Change} failed on resource '{Resource}' at {ChangeVersion} while rendering API version {Version}")]
    private static partial void LogRenderFailed(ILogger logger, Exception exception, string change, string? resource, ApiVersion changeVersion, ApiVersion version);
}
