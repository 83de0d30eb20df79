using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace VersionKit.AspNetCore.Tests;

/// <summary>
/// A real authentication scheme for the tests, registered as the default: <c>X-Account</c> names the account,
/// <c>X-Application</c> an application acting for it (the account <c>acct_throws</c> makes it throw, as a scheme whose store
/// is down). Apps run it with <c>UseAuthentication()</c>, after routing.
/// </summary>
internal sealed class HeaderAuthentication(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, HeaderAuthentication.Runs runs)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Header";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        runs.Add(Request.Path + Request.QueryString);
        if (Request.Headers["X-Account"] is not [{ Length: > 0 } account])
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        if (account == "acct_throws")
        {
            throw new InvalidOperationException("The account store is down.");
        }

        var claims = new List<Claim> { new(VersionKitClaimTypes.Account, account) };
        if (Request.Headers["X-Application"] is [{ Length: > 0 } application])
        {
            claims.Add(new(VersionKitClaimTypes.Application, application));
        }

        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName)), SchemeName)));
    }

    /// <summary>Every run of the handler, by path and query: authentication is worth doing once per request.</summary>
    public sealed class Runs
    {
        private readonly System.Collections.Concurrent.ConcurrentQueue<string> _paths = new();

        public void Add(string pathAndQuery) => _paths.Enqueue(pathAndQuery);

        public int Count(string pathAndQuery) => _paths.Count(p => p == pathAndQuery);
    }
}

internal static class HeaderAuthenticationExtensions
{
    public static IServiceCollection AddHeaderAuthentication(this IServiceCollection services)
    {
        services.AddSingleton<HeaderAuthentication.Runs>();
        services.AddAuthentication(HeaderAuthentication.SchemeName).AddScheme<AuthenticationSchemeOptions, HeaderAuthentication>(HeaderAuthentication.SchemeName, null);
        services.AddAuthorization();
        return services;
    }
}
