using System.Security.Claims;
using System.Text.Encodings.Web;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using VersionKit.AspNetCore;

namespace Payments.Api;

/// <summary>
/// Stripe's authentication, for the sample: <c>Authorization: Bearer sk_test_&lt;account id&gt;</c> (any id; the account is
/// created on first use). A Connect platform acts for an account connected to it with <c>Stripe-Account: &lt;id&gt;</c>:
/// the request then touches that account's data, and the platform is the acting application, whose version applies.
/// </summary>
public sealed partial class StripeKeyAuthentication(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    PaymentsStore store)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "StripeKey";
    public const string Policy = "ApiKey";
    private const string ForbiddenAccountClaim = "payments:forbidden_account";

    [GeneratedRegex("^Bearer sk_test_([A-Za-z0-9_]{1,64})$")]
    private static partial Regex KeyPattern();

    public static void AddPolicy(Microsoft.AspNetCore.Authorization.AuthorizationOptions authorization)
        => authorization.AddPolicy(Policy, policy => policy
            .AddAuthenticationSchemes(SchemeName)
            .RequireAuthenticatedUser()
            .RequireAssertion(context => !context.User.HasClaim(c => c.Type == ForbiddenAccountClaim)));

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? header = Request.Headers.Authorization;
        if (string.IsNullOrEmpty(header))
        {
            return AuthenticateResult.NoResult();
        }

        var match = KeyPattern().Match(header);
        if (!match.Success)
        {
            return AuthenticateResult.Fail("Invalid API key: expected 'Authorization: Bearer sk_test_<account id>'.");
        }

        string owner = match.Groups[1].Value;
        await store.CreateAccountAsync(owner, platform: null);
        var claims = new List<Claim> { new(ClaimTypes.NameIdentifier, owner) };
        string? acting = Request.Headers["Stripe-Account"];
        if (!string.IsNullOrEmpty(acting))
        {
            var connected = await store.FindAccountAsync(acting);
            if (connected?.Platform == owner)
            {
                claims.Add(new(VersionKitClaimTypes.Account, acting));
                claims.Add(new(VersionKitClaimTypes.Application, owner));
            }
            else
            {
                claims.Add(new(ForbiddenAccountClaim, acting));
            }
        }

        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName)), SchemeName));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
        => ApiErrors.WriteAsync(Context, StatusCodes.Status401Unauthorized, ApiErrors.InvalidRequest, "api_key_invalid",
            "No valid API key provided. Send 'Authorization: Bearer sk_test_<account id>'.");

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties)
        => ApiErrors.WriteAsync(Context, StatusCodes.Status403Forbidden, "permission_error", "account_not_connected",
            $"The account '{Context.User.FindFirstValue(ForbiddenAccountClaim)}' is not connected to your platform, so you cannot act for it with Stripe-Account.");
}
