using VersionKit;
using VersionKit.PostgreSql;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Keeps VersionKit's events, webhook endpoints and deliveries in PostgreSQL.</summary>
public static class PostgreSqlWebhooksBuilderExtensions
{
    /// <summary>
    /// Keeps events, webhook endpoints and the outbox of their deliveries in the PostgreSQL database of
    /// <paramref name="connectionString"/>, the pins' database, its tables created and migrated with theirs. Every machine
    /// of the API that uses the same database delivers from the same outbox, each attempt made by one of them.
    /// </summary>
    public static TBuilder UsePostgreSqlWebhooks<TBuilder>(this TBuilder builder, string connectionString)
        where TBuilder : IVersionKitBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(connectionString);
        builder.UseWebhookStore(_ => new PostgreSqlWebhookStore(connectionString));
        return builder;
    }
}
