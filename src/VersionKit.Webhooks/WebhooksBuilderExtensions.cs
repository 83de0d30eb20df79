using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using VersionKit;
using VersionKit.Webhooks;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds events and webhooks to a VersionKit app.</summary>
public static class WebhooksBuilderExtensions
{
    internal const string NoStoreMessage =
        "VersionKit's webhooks need to know where events and deliveries live: on services.AddVersionKit(history), call "
        + ".UseSqliteWebhooks(connectionString) (package VersionKit.Sqlite) or .UsePostgreSqlWebhooks(connectionString) (package VersionKit.PostgreSql), "
        + "with the pins' database.";

    /// <summary>
    /// Registers <see cref="ApiEvents"/> (record events at the account's version, render them once per endpoint version)
    /// and the background worker that delivers them from the outbox, signed. Choose the store on the builder
    /// (<c>.UseSqliteWebhooks(...)</c>, <c>.UsePostgreSqlWebhooks(...)</c>); without one the app refuses to start.
    /// </summary>
    /// <param name="builder">The app's VersionKit registration.</param>
    /// <param name="configure">Timeouts, the retry schedule, concurrency; checked as the app starts.</param>
    public static VersionKitBuilder AddWebhooks(this VersionKitBuilder builder, Action<WebhookOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        var options = services.AddOptions<WebhookOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.Validate<IServiceProvider>((_, sp) => sp.GetService<IWebhookStore>() is not null, NoStoreMessage).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<WebhookOptions>, NamedProblems>());
        services.TryAddSingleton<WebhookSignal>();
        services.TryAddSingleton(sp => new ApiEvents(
            sp.GetRequiredService<ApiRenderer>(),
            sp.GetService<IWebhookStore>() ?? throw new InvalidOperationException(NoStoreMessage),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<WebhookSignal>()));
        // The host makes its hosted services before it checks options, so the worker says itself what is missing.
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, WebhookDeliveryService>(sp => new WebhookDeliveryService(
            sp.GetService<IWebhookStore>() ?? throw new InvalidOperationException(NoStoreMessage),
            sp.GetRequiredService<IOptions<WebhookOptions>>(),
            sp.GetRequiredService<WebhookSignal>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<Microsoft.Extensions.Logging.ILoggerFactory>(),
            sp.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>())));

        return builder;
    }

    // Says which option is wrong, rather than only that one is.
    private sealed class NamedProblems : IValidateOptions<WebhookOptions>
    {
        public ValidateOptionsResult Validate(string? name, WebhookOptions options)
            => options.Problems().Select(p => "WebhookOptions." + p + ".").ToList() is { Count: > 0 } problems
                ? ValidateOptionsResult.Fail(problems)
                : ValidateOptionsResult.Success;
    }
}
