using VersionKit;
using VersionKit.Sqlite;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Keeps VersionKit's events, webhook endpoints and deliveries in SQLite.</summary>
public static class SqliteWebhooksBuilderExtensions
{
    /// <summary>
    /// Keeps events, webhook endpoints and the outbox of their deliveries in the SQLite database of
    /// <paramref name="connectionString"/>: the pins' file (<c>Data Source=pins.db</c>), its tables created and migrated
    /// with theirs. One machine, or processes sharing the file; for many machines, PostgreSQL.
    /// </summary>
    public static TBuilder UseSqliteWebhooks<TBuilder>(this TBuilder builder, string connectionString)
        where TBuilder : IVersionKitBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(connectionString);
        builder.UseWebhookStore(_ => new SqliteWebhookStore(connectionString));
        return builder;
    }
}
