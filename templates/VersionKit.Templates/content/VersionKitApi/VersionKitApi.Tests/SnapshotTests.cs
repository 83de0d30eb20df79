using Microsoft.AspNetCore.Mvc.Testing;
using VersionKit.Testing;

namespace VersionKitApi.Tests;

/// <summary>
/// Every version's shape, held by the .verified.json files beside this file: a change that alters what any old version
/// returns fails here, with a diff naming the version, and writes a .received.json to review. When a new shape is right,
/// accept it with <c>VERSIONKIT_ACCEPT_SNAPSHOTS=1 dotnet test</c> and commit the .verified.json files.
/// </summary>
public class SnapshotTests(WebApplicationFactory<Program> app) : IClassFixture<WebApplicationFactory<Program>>
{
    private static readonly VersionSnapshots Snapshots = new(VersionKitApiHistory.Default);

    [Fact]
    public void A_parcel_at_every_version()
        => Snapshots.Verify(new Parcel { Id = "prcl_1", Recipient = "Jenny Rosen", WeightGrams = 1250 });

    [Fact]
    public Task The_parcel_endpoint_at_every_version()
        => Snapshots.VerifyEndpointAsync(app.CreateClient(), "/v1/parcels/prcl_1");
}
