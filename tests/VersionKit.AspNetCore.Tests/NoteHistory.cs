using System.Text.Json.Nodes;

namespace VersionKit.AspNetCore.Tests;

// camelCase, the ASP.NET Core default: the history says so, and the web defaults match it.
[ApiHistory("2020-01-01", NamingPolicy = System.Text.Json.Serialization.JsonKnownNamingPolicy.CamelCase)]
public partial class NoteHistory;

[ApiResource("note")]
public sealed class Note
{
    public string Id { get; init; } = "note_1";

    public string Object => "note";

    public string Body { get; init; } = "hello";

    public string? Author { get; init; }
}

public sealed record CreateNote(string? Body);

// The app's error, for the error factory: rendered at the caller's version like any resource.
[ApiResource("error")]
public sealed class NoteError
{
    public string Object => "error";

    public required string Code { get; init; }

    public required string Message { get; init; }

    public string? Param { get; init; }
}

[VersionChange("2021-01-01", "`text` is now `body`; errors name the field in `param`, not `field`.")]
[FieldRenamed(typeof(Note), "text", "body")]
[FieldRenamed(typeof(NoteError), "field", "param")]
[RequestFieldRenamed(typeof(CreateNote), "text", "body")]
public sealed class NoteBody;

[VersionChange("2022-01-01", "`author` is an object; it was a name.")]
[FieldTypeChanged(typeof(Note), "author", "string", "object")]
public sealed class NoteAuthor
{
    // Throws on purpose for the author "boom", so that tests can see a failing transformation.
    [BackwardTransform(typeof(Note))]
    public static void Collapse(JsonObject note)
        => note["author"] = (string?)note["author"] == "boom" ? throw new InvalidOperationException("cannot collapse") : note["author"]?.DeepClone();
}

[VersionChange("2023-01-01", "Notes are saved in drafts first.", HasSideEffects = true)]
public sealed class DraftsFirst;

// The request surface (RequestSurfaceTests): a query type, and a body type with nested request objects in a property, a
// list and a free-form dictionary.
public sealed record ListNotes(int? Limit);

public sealed record Address(string? Line1, string? PostalCode);

public sealed record CreateShipment(Address? To, IReadOnlyList<Address>? Stops, Dictionary<string, string>? Metadata, int? WeightGrams, bool? Fragile, string? CustomerReference, string? ReceiptEmail);

[VersionChange("2021-01-01", "Listing notes takes `limit` where it took `count`.")]
[RequestFieldRenamed(typeof(ListNotes), "count", "limit")]
public sealed class NotesListLimit;

[VersionChange("2022-01-01", "Addresses take `postalCode` where they took `zip`; shipments take `customerReference` where they took `reference`, and a `receiptEmail`; `insured` is gone.")]
[RequestFieldRenamed(typeof(Address), "zip", "postalCode")]
[RequestFieldRenamed(typeof(CreateShipment), "reference", "customerReference")]
[RequestFieldAdded(typeof(CreateShipment), "receiptEmail")]
[RequestFieldRemoved(typeof(CreateShipment), "insured")]
public sealed class ShipmentNames;
