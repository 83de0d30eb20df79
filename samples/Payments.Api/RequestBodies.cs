using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using VersionKit.AspNetCore;

namespace Payments.Api;

public sealed record CreateCustomer(string? Email, string? Name, long? Balance);

public sealed record CreateBankAccount(string? Country, string? Currency, string? AccountNumber, string? RoutingNumber, string? AccountHolderName);

public sealed record CreateCharge(long? Amount, string? Currency, string? Customer, string? Source, string? ReceiptEmail);

public sealed record CreateTransfer(long? Amount, string? Currency, string? Destination);

public sealed record ListEvents(int? Limit);

public sealed record CreateRecipient(string? Name, string? Type, string? Email);

public sealed record UpdateApiVersion(string? ApiVersion);

public sealed record CreateTestAccount(string? Id, string? ApiVersion, string? Platform);

/// <summary>
/// Reads request bodies, JSON or form-encoded as Stripe's clients send them, turning every way they can be wrong into a
/// 400 error that says what and where.
/// </summary>
public static class RequestBody
{
    private static readonly JsonSerializerOptions JsonBody = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        NumberHandling = JsonNumberHandling.Strict,
    };

    // Form values are all strings: numbers are read from them.
    private static readonly JsonSerializerOptions FormBody = new(JsonBody) { NumberHandling = JsonNumberHandling.AllowReadingFromString };

    /// <summary>The longest string parameter accepted, as Stripe's limit.</summary>
    public const int MaxStringLength = 5000;

    // The first string parameter over the limit, by its request name: what is stored is echoed in every list and event.
    private static string? TooLong<T>(T body)
        => typeof(T).GetProperties()
            .Where(p => p.PropertyType == typeof(string) && ((string?)p.GetValue(body))?.Length > MaxStringLength)
            .Select(p => JsonNamingPolicy.SnakeCaseLower.ConvertName(p.Name))
            .FirstOrDefault();

    public static async Task<(T? Body, IResult? Problem)> ReadAsync<T>(HttpRequest request)
        where T : class
    {
        try
        {
            T? body = null;
            if (request.HasJsonContentType())
            {
                body = await request.ReadFromJsonAsync<T>(JsonBody, request.HttpContext.RequestAborted);
                if (body is null)
                {
                    return (null, ApiErrors.Invalid("The request body must be a JSON object, not null."));
                }
            }
            else if (request.HasFormContentType)
            {
                var form = await request.ReadFormAsync(request.HttpContext.RequestAborted);
                body = StripeForm.ToJson(form).Deserialize<T>(FormBody)!;
            }

            if (body is not null)
            {
                return TooLong(body) is { } param
                    ? (null, ApiErrors.Invalid($"{param} is longer than {MaxStringLength} characters.", param))
                    : (body, null);
            }

            return (null, ApiErrors.Invalid("The request body must be JSON ('Content-Type: application/json') or form-encoded ('Content-Type: application/x-www-form-urlencoded')."));
        }
        catch (JsonException exception)
        {
            string? param = exception.Path is { Length: > 2 } path ? path[2..] : null;
            string detail = param is not null && exception.Message.StartsWith("The JSON value could not be converted", StringComparison.Ordinal)
                ? $"Invalid value for '{param}': it has the wrong type."
                : param is not null && exception.Message.Contains("could not be mapped", StringComparison.Ordinal)
                    ? $"Received unknown parameter: '{param}'."
                    : exception.LineNumber is { } line
                        ? $"The request body is not valid JSON (line {line + 1}, byte {exception.BytePositionInLine + 1})."
                        : "The request body is not valid JSON.";
            return (null, ApiErrors.Invalid(detail, param));
        }
        catch (VersionKit.RequestShapeException exception)
        {
            return (null, ApiErrors.Invalid(exception.Message, exception.Field));
        }
        catch (BadHttpRequestException exception)
        {
            // Kestrel's limits: a body over MaxRequestBodySize is a 413 that says the limit, not a 500.
            string title = exception.StatusCode == StatusCodes.Status413PayloadTooLarge ? "Request too large" : "Invalid request";
            string detail = exception.StatusCode == StatusCodes.Status413PayloadTooLarge ? "The request body is larger than this server accepts." : "The request body could not be read.";
            return (null, ApiErrors.Error(exception.StatusCode, "invalid_request_error", title, detail, null));
        }
        catch (InvalidDataException)
        {
            // The form reader's limits: too many fields, a key or a value too long.
            return (null, ApiErrors.Invalid("The form has more fields, or a longer key or value, than this server accepts."));
        }
    }
}
