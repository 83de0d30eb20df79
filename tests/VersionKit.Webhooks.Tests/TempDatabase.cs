using Microsoft.Data.Sqlite;

namespace VersionKit.Webhooks.Tests;

/// <summary>A SQLite file of its own in a temporary folder, deleted with the folder.</summary>
public sealed class TempDatabase : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("versionkit-webhooks-").FullName;

    public string ConnectionString => "Data Source=" + Path.Combine(_directory, "app.db");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }
}
