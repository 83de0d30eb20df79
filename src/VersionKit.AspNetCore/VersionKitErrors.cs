using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace VersionKit.AspNetCore;

/// <summary>
/// Answers a <see cref="VersionKitError"/>: the app's error from its <see cref="IVersionKitErrorFactory"/>, rendered at the
/// caller's version, or else problem+json with the error's code. The one place VersionKit's errors are written.
/// </summary>
internal sealed partial class VersionKitErrors(IServiceProvider services, ApiHistory history, IOptions<VersionKitOptions> options, ILogger<VersionKitErrors> logger)
{
    private readonly IVersionKitErrorFactory? _factory = services.GetService<IVersionKitErrorFactory>();

    public async Task WriteAsync(HttpContext context, VersionKitError error)
    {
        var response = context.Response;
        if (error.Version is { } version)
        {
            response.Headers[options.Value.HeaderName] = version.ToString();
        }

        if (error.StatusCode == StatusCodes.Status503ServiceUnavailable && !response.Headers.ContainsKey("Retry-After"))
        {
            response.Headers.RetryAfter = ((int)Math.Ceiling(options.Value.RetryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        if (_factory?.Create(error, context) is { } body)
        {
            var renderer = services.GetRequiredService<VersionKitRenderers>().For(context);
            var at = error.Version ?? history.Latest;
            using var buffer = new PooledBufferWriter();
            try
            {
                renderer.Render(buffer, body, at);
                response.StatusCode = error.StatusCode;
                response.ContentType = "application/json; charset=utf-8";
                response.ContentLength = buffer.WrittenCount;
                await response.Body.WriteAsync(buffer.WrittenMemory, context.RequestAborted).ConfigureAwait(false);
                return;
            }
            catch (RenderException exception)
            {
                // The app's own error cannot be rendered at this version: the caller still gets the error, as problem+json.
                LogErrorRenderFailed(logger, exception, error.Code, at);
            }
        }

        await ProblemOf(error).ExecuteAsync(context).ConfigureAwait(false);
    }

    private static IResult ProblemOf(VersionKitError error)
    {
        var extensions = new Dictionary<string, object?> { ["code"] = error.Code };
        if (error.Param is { } param)
        {
            extensions["param"] = param;
        }

        foreach (var (name, value) in error.Details)
        {
            extensions[name] = value;
        }

        return TypedResults.Problem(detail: error.Message, statusCode: error.StatusCode, title: TitleOf(error.Code), extensions: extensions);
    }

    private static string TitleOf(string code) => code switch
    {
        VersionKitErrorCodes.ApiVersionInvalid => "Invalid API version",
        VersionKitErrorCodes.ApiVersionRetired => "API version retired",
        VersionKitErrorCodes.ParameterUnknown => "Unknown parameter",
        VersionKitErrorCodes.ParameterInvalid => "Invalid parameter",
        VersionKitErrorCodes.RequestMalformed => "Unreadable request",
        VersionKitErrorCodes.EndpointNotInVersion => "Endpoint not in this API version",
        VersionKitErrorCodes.PinStoreUnavailable => "Service unavailable",
        VersionKitErrorCodes.RenderFailed => "Internal server error",
        _ => "Error",
    };

    [LoggerMessage(EventId = 2, Level = LogLevel.Error, Message = "The app's error for {Code} could not be rendered at API version {Version}; answered problem+json instead")]
    private static partial void LogErrorRenderFailed(ILogger logger, Exception exception, string code, ApiVersion version);
}

/// <summary>A <see cref="VersionKitError"/> as a result a handler can return.</summary>
internal sealed class VersionKitErrorResult(VersionKitError error) : IResult, IStatusCodeHttpResult
{
    public int? StatusCode => error.StatusCode;

    public Task ExecuteAsync(HttpContext httpContext)
        => httpContext.RequestServices.GetRequiredService<VersionKitErrors>().WriteAsync(httpContext, error);
}
