using VersionKit;
using VersionKit.Sqlite;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Keeps VersionKit's pins in SQLite.</summary>
public static class SqlitePinsBuilderExtensions
{
    /// <summary>
    /// Keeps account pins in the SQLite database of <paramref name="connectionString"/> (<c>Data Source=pins.db</c>), its
    /// tables (prefixed <c>versionkit_</c>) created and migrated on first use. One machine; for many, PostgreSQL.
    /// </summary>
    public static TBuilder UseSqlitePins<TBuilder>(this TBuilder builder, string connectionString)
        where TBuilder : IVersionKitBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(connectionString);
        builder.UsePinStore(_ => new SqlitePinStore(connectionString));
        return builder;
    }
}
