using System.Text.Json;
using System.Text.Json.Serialization;

namespace Payments.Api;

public sealed record CreateCustomer(string? Email, string? Name);

public sealed record CreateBankAccount(string? Country, string? Currency, string? AccountNumber, string? RoutingNumber, string? AccountHolderName);

public sealed record CreateCharge(long? Amount, string? Currency, string? Customer, string? Source, string? ReceiptEmail);

public sealed record CreateTransfer(long? Amount, string? Currency, string? Destination);

/// <summary>Reads JSON request bodies, turning every way they can be wrong into a 400 problem that says what and where.</summary>
public static class RequestBody
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        NumberHandling = JsonNumberHandling.Strict,
    };

    public static async Task<(T? Body, IResult? Problem)> ReadAsync<T>(HttpRequest request)
        where T : class
    {
        if (!request.HasJsonContentType())
        {
            return (null, Invalid("The request body must be JSON, sent with 'Content-Type: application/json'."));
        }

        try
        {
            var body = await request.ReadFromJsonAsync<T>(Options, request.HttpContext.RequestAborted);
            return body is null ? (null, Invalid("The request body must be a JSON object, not null.")) : (body, null);
        }
        catch (JsonException exception)
        {
            string? param = exception.Path is { Length: > 2 } path ? path[2..] : null;
            string detail = param is not null && exception.Message.StartsWith("The JSON value could not be converted", StringComparison.Ordinal)
                ? $"Invalid value for '{param}': it has the wrong type."
                : param is not null && exception.Message.Contains("could not be mapped", StringComparison.Ordinal)
                    ? $"Received unknown parameter: '{param}'."
                    : "The request body is not valid JSON: " + exception.Message.Split(" Path:")[0];
            return (null, Invalid(detail, param));
        }
    }

    public static IResult Invalid(string detail, string? param = null)
        => TypedResults.Problem(
            title: "Invalid request",
            detail: detail,
            statusCode: StatusCodes.Status400BadRequest,
            extensions: param is null ? null : new Dictionary<string, object?> { ["param"] = param });

    public static IResult Missing(string param) => Invalid($"Missing required param: {param}.", param);

    public static IResult NotFound(string kind, string id)
        => TypedResults.Problem(title: "No such " + kind, detail: $"No such {kind}: '{id}'.", statusCode: StatusCodes.Status404NotFound);
}
