using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using VersionKit.Pins;

namespace VersionKit.AspNetCore;

/// <summary>Says who is calling. Replace it to plug in the app's own authentication.</summary>
public interface IApiCallerResolver
{
    /// <summary>The account and the acting application of <paramref name="context"/>'s request.</summary>
    ValueTask<ApiCaller> ResolveAsync(HttpContext context);
}

/// <summary>Claim types the default <see cref="IApiCallerResolver"/> reads.</summary>
public static class VersionKitClaimTypes
{
    /// <summary>The account the request acts on. Without it, an authenticated user's <see cref="ClaimTypes.NameIdentifier"/> is the account.</summary>
    public const string Account = "versionkit:account";

    /// <summary>The application acting on the account's behalf.</summary>
    public const string Application = "versionkit:application";
}

/// <summary>
/// The default: the authenticated user's claims (<see cref="VersionKitClaimTypes"/>); anonymous when not authenticated.
/// Routing asks before the authentication middleware has run, so a user not yet authenticated is authenticated here with
/// the default scheme, as that middleware does; the scheme's handler keeps its result for the request, so the middleware
/// gets the same user without running it again.
/// </summary>
public sealed class ClaimsApiCallerResolver : IApiCallerResolver
{
    /// <inheritdoc/>
    public async ValueTask<ApiCaller> ResolveAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.User.Identity?.IsAuthenticated != true
            && context.RequestServices.GetService<IAuthenticationSchemeProvider>() is { } schemes
            && await schemes.GetDefaultAuthenticateSchemeAsync().ConfigureAwait(false) is { } scheme)
        {
            var result = await context.AuthenticateAsync(scheme.Name).ConfigureAwait(false);
            if (result.Principal is { } principal)
            {
                context.User = principal;
            }
        }

        var user = context.User;
        if (user.Identity?.IsAuthenticated != true)
        {
            return ApiCaller.Anonymous;
        }

        string? account = user.FindFirstValue(VersionKitClaimTypes.Account) ?? user.FindFirstValue(ClaimTypes.NameIdentifier);
        return new ApiCaller(account, user.FindFirstValue(VersionKitClaimTypes.Application));
    }
}

/// <summary>Gives the version of an application acting on an account's behalf. Replace it where applications have versions of their own.</summary>
public interface IApplicationVersionProvider
{
    /// <summary>The application's version, or <see langword="null"/> to let the account's pin decide; may store it on the application's first call.</summary>
    /// <exception cref="PinStoreUnavailableException">Where the version lives cannot be read.</exception>
    ValueTask<ApiVersion?> GetVersionAsync(string applicationId, CancellationToken cancellationToken);

    /// <summary>
    /// What <see cref="GetVersionAsync"/> would give, changing nothing: for code that only reads the caller's version, such
    /// as the docs pages.
    /// </summary>
    /// <exception cref="PinStoreUnavailableException">Where the version lives cannot be read.</exception>
    ValueTask<ApiVersion?> FindVersionAsync(string applicationId, CancellationToken cancellationToken);
}

/// <summary>The default: an application is an account too, and acts at its own pinned version (pinned on its first use).</summary>
public sealed class PinnedApplicationVersionProvider(ApiHistory history, ApiVersionPins pins) : IApplicationVersionProvider
{
    /// <inheritdoc/>
    public async ValueTask<ApiVersion?> GetVersionAsync(string applicationId, CancellationToken cancellationToken)
        => (await pins.GetOrPinAsync(applicationId, cancellationToken).ConfigureAwait(false)).Version;

    /// <inheritdoc/>
    /// <remarks>An application without a pin gets the latest, as its first call will, and stays without one.</remarks>
    public async ValueTask<ApiVersion?> FindVersionAsync(string applicationId, CancellationToken cancellationToken)
        => (await pins.FindAsync(applicationId, cancellationToken).ConfigureAwait(false))?.Version ?? history.Latest;
}
