using System.Net;
using System.Text.Json.Nodes;

namespace Payments.Api.Tests;

/// <summary>
/// The data file (the sample's data and its pins) deleted while the API runs: writes are refused with 503, /healthz says
/// so, and nothing is created anew in its place, so no write is acknowledged and lost and no account is pinned again.
/// </summary>
public sealed class DataFileTests(PaymentsServer server) : IClassFixture<PaymentsServer>
{
    [Fact]
    public async Task A_deleted_data_file_is_an_outage_never_a_fresh_empty_database()
    {
        string account = await server.CreateAccountAsync("2013-02-13");
        await server.PostAsync("/v1/customers", new { email = "j@example.com" }, account);
        var (healthy, _) = await server.SendAsync(null, HttpMethod.Get, "/healthz");
        Assert.Equal(HttpStatusCode.OK, healthy.StatusCode);

        string file = server.Database["Data Source=".Length..];
        foreach (string path in new[] { file, file + "-wal", file + "-shm" }.Where(File.Exists))
        {
            File.Delete(path);
        }

        var (write, body) = await server.SendAsync(account, HttpMethod.Post, "/v1/customers", new { email = "k@example.com" });
        Assert.Equal(HttpStatusCode.ServiceUnavailable, write.StatusCode);
        Assert.Equal("api_error", (string?)body["error"]!["type"]);

        string newcomer = PaymentsServer.NewAccount();
        var (read, _) = await server.SendAsync(newcomer, HttpMethod.Get, "/v1/events");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, read.StatusCode);

        var (unhealthy, health) = await server.SendAsync(null, HttpMethod.Get, "/healthz");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, unhealthy.StatusCode);
        Assert.Equal("unavailable", (string?)health["status"]);
        Assert.False(File.Exists(file), "a new, empty data file was created in place of the deleted one");
    }
}
