using System.Text.Json;
using VersionKitApi;

var builder = WebApplication.CreateBuilder(args);
builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower);

// Each account's version is pinned on its first call and kept in a SQLite file (.UsePostgreSqlPins(...) for an API on
// many machines, .UseInMemoryPins() in tests, .WithoutPins() when callers are never accounts).
builder.Services.AddVersionKit(VersionKitApiHistory.Default)
    .UseSqlitePins("Data Source=pins.db");

var app = builder.Build();
app.UseVersionKit();

// Handlers return the current shape; VersionKit renders it at the version the caller asked for (Stripe-Version header).
var api = app.MapGroup("/v1").WithVersionKit();
api.MapGet("/parcels/{id}", (string id) => new Parcel { Id = id, Recipient = "Jenny Rosen", WeightGrams = 1250 });

app.Run();
