using System.Security.Claims;
using Microsoft.AspNetCore.Diagnostics;
using VersionKit;
using VersionKit.AspNetCore;

namespace Payments.Api;

/// <summary>
/// Stripe's error envelope, <c>{"error": {"type", "code", "message", "param"}}</c>, which Stripe's client libraries read.
/// Every error of the sample is one, VersionKit's own included, rendered at the caller's version like any response.
/// </summary>
public sealed class ErrorResponse
{
    public required ApiError Error { get; init; }
}

/// <summary>An error. A resource like any other, so that older versions get errors in their shape too (<c>field</c> before 2019-12-03).</summary>
[ApiResource("error")]
public sealed class ApiError
{
    public string Object => "error";

    /// <summary><c>invalid_request_error</c>, <c>idempotency_error</c>, <c>permission_error</c> or <c>api_error</c>, as Stripe's.</summary>
    public required string Type { get; init; }

    /// <summary>What went wrong, for code: <c>parameter_missing</c>, <c>resource_missing</c>, VersionKit's codes...</summary>
    public string? Code { get; init; }

    public required string Message { get; init; }

    /// <summary>The request parameter the error is about, in the caller's name for it.</summary>
    public string? Param { get; init; }
}

/// <summary>The sample's errors, as handlers return them and as the pipeline writes them outside handlers.</summary>
public static class ApiErrors
{
    public const string InvalidRequest = "invalid_request_error";

    public static IResult Invalid(string message, string? param = null, string code = "parameter_invalid")
        => Error(StatusCodes.Status400BadRequest, InvalidRequest, code, message, param);

    public static IResult Missing(string param) => Invalid($"Missing required param: {param}.", param, "parameter_missing");

    public static IResult NotFound(string kind, string id)
        => Error(StatusCodes.Status404NotFound, InvalidRequest, "resource_missing", $"No such {kind}: '{id}'.", null);

    public static IResult Unavailable(string message)
        => new VersionKitError(StatusCodes.Status503ServiceUnavailable, VersionKitErrorCodes.PinStoreUnavailable, message).ToResult();

    public static IResult Error(int status, string type, string? code, string message, string? param)
        => TypedResults.Json(Envelope(type, code, message, param), statusCode: status);

    /// <summary>VersionKit's errors in the sample's envelope; the type follows the status, as Stripe's does.</summary>
    public static ErrorResponse FromVersionKit(VersionKitError error, HttpContext context)
        => Envelope(error.StatusCode >= 500 ? "api_error" : InvalidRequest, error.Code, error.Message, error.Param);

    /// <summary>
    /// Writes an error outside a handler (authentication, an unknown URL, an unhandled exception) at the caller's version
    /// when VersionKit has resolved it, else at the latest.
    /// </summary>
    public static async Task WriteAsync(HttpContext context, int status, string type, string? code, string message)
    {
        var renderer = context.RequestServices.GetRequiredService<ApiRenderer>();
        var version = context.Features.Get<ApiVersionFeature>()?.Version ?? renderer.History.Latest;
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        await context.Response.WriteAsync(renderer.Render(Envelope(type, code, message, null), version), context.RequestAborted);
    }

    /// <summary>For UseStatusCodePages: an empty 4xx or 5xx (an unknown URL, a method the URL does not take) as an error.</summary>
    public static Task StatusCodePageAsync(StatusCodeContext page)
    {
        var context = page.HttpContext;
        string request = $"{context.Request.Method}: {context.Request.Path}";
        return context.Response.StatusCode switch
        {
            StatusCodes.Status404NotFound => WriteAsync(context, 404, InvalidRequest, "url_unrecognized", $"Unrecognized request URL ({request})."),
            StatusCodes.Status405MethodNotAllowed => WriteAsync(context, 405, InvalidRequest, "method_not_allowed", $"The URL does not take this method ({request})."),
            int status when status >= 500 => WriteAsync(context, status, "api_error", null, "An error occurred on our side."),
            int status => WriteAsync(context, status, InvalidRequest, null, $"The request was refused ({status})."),
        };
    }

    /// <summary>For UseExceptionHandler: what escaped a handler, as a 500 that says nothing of the exception.</summary>
    public static Task ExceptionAsync(HttpContext context)
    {
        bool pinsDown = context.Features.Get<IExceptionHandlerFeature>()?.Error is VersionKit.Pins.PinStoreUnavailableException or PaymentsStoreUnavailableException;
        return pinsDown
            ? WriteAsync(context, StatusCodes.Status503ServiceUnavailable, "api_error", "service_unavailable", "The service cannot store or read data right now; retry in a little while.")
            : WriteAsync(context, StatusCodes.Status500InternalServerError, "api_error", null, "An error occurred on our side; it has been logged.");
    }

    private static ErrorResponse Envelope(string type, string? code, string message, string? param)
        => new() { Error = new ApiError { Type = type, Code = code, Message = message, Param = param } };
}
