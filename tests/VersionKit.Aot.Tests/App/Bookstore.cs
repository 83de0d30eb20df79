using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace VersionKit.Aot.App;

// One history with every kind of change the compiled writers handle, so that the NativeAOT publish compiles each of them:
//   2021-01-01 book.name renamed to title               2021-06-01 book.format gains "audio" (was "ebook")
//   2021-09-01 book.legacy_isbn removed (constant)      2022-01-01 author.name renamed to display_name (nested resource)
//   2022-03-01 book.genre, a C# enum, gains graphic_novel (was fiction)
//   2022-06-01 book.page_count added                    2022-09-01 book.thick removed (typed, from the C# book)
//   2023-01-01 book.in_stock removed (JSON, from the one field quantity)
//   2023-06-01 book.price from a string to an object (typed code on the field)
//   2024-01-01 book.tags from a comma-joined string to a list (JSON code on the field)
//   2024-06-01 shelf.items renamed to books (the field holding the list envelope)
[ApiHistory("2020-01-01", NamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
public partial class BookstoreHistory;

[ApiResource("shelf")]
public sealed class Shelf
{
    public required string Id { get; init; }

    public string Object => "shelf";

    public required ApiList<Book> Books { get; init; }

    /// <summary>Typed <see cref="object"/> on purpose: the resource in it is found at run time, by its type.</summary>
    public required object Featured { get; init; }
}

[ApiResource("book")]
public sealed class Book
{
    public required string Id { get; init; }

    public string Object => "book";

    public required string Title { get; init; }

    /// <summary>paper, ebook or audio.</summary>
    public required string Format { get; init; }

    public required Genre Genre { get; init; }

    public required int PageCount { get; init; }

    public required int Quantity { get; init; }

    public required Money Price { get; init; }

    public required IReadOnlyList<string> Tags { get; init; }

    public required Author Author { get; init; }
}

[ApiResource("author")]
public sealed class Author
{
    public required string Id { get; init; }

    public string Object => "author";

    public required string DisplayName { get; init; }
}

/// <summary>Not a resource: a plain value object, written by the app's contract.</summary>
public sealed class Money
{
    /// <summary>In the currency's smallest unit.</summary>
    public required long Amount { get; init; }

    public required string Currency { get; init; }
}

// The generic converter, not JsonStringEnumConverter: the non-generic one makes its converter at run time, which NativeAOT refuses.
[JsonConverter(typeof(JsonStringEnumConverter<Genre>))]
public enum Genre
{
    [JsonStringEnumMemberName("fiction")]
    Fiction,

    [JsonStringEnumMemberName("poetry")]
    Poetry,

    [JsonStringEnumMemberName("graphic_novel")]
    GraphicNovel,
}

[VersionChange("2021-01-01", "`name` is now `title`.")]
[FieldRenamed(typeof(Book), "name", "title")]
public sealed class RenameBookName;

[VersionChange("2021-06-01", "`format` can be `audio`; older versions see `ebook`.")]
[EnumValueAdded(typeof(Book), "format", "audio", "ebook")]
public sealed class AddAudioFormat;

[VersionChange("2021-09-01", "`legacy_isbn` is gone.")]
[FieldRemoved(typeof(Book), "legacy_isbn", Value = "none")]
public sealed class RemoveLegacyIsbn;

[VersionChange("2022-01-01", "Authors' `name` is now `display_name`.")]
[FieldRenamed(typeof(Author), "name", "display_name")]
public sealed class RenameAuthorName;

[VersionChange("2022-03-01", "`genre` can be `graphic_novel`; older versions see `fiction`.")]
[EnumValueAdded(typeof(Book), "genre", "graphic_novel", "fiction")]
public sealed class AddGraphicNovel;

[VersionChange("2022-06-01", "Books have a `page_count`.")]
[FieldAdded(typeof(Book), "page_count")]
public sealed class AddPageCount;

[VersionChange("2022-09-01", "`thick` is gone; read `page_count`.")]
[FieldRemoved(typeof(Book), "thick", ValueFrom = nameof(IsThick))]
public sealed class RemoveThick
{
    // Typed: reads the C# book, so it sees PageCount although 2022-06-01 hides page_count further back.
    public static bool IsThick(Book book) => book.PageCount > 300;
}

[VersionChange("2023-01-01", "`in_stock` is gone; read `quantity`.")]
[FieldRemoved(typeof(Book), "in_stock", ValueFrom = nameof(InStockFromQuantity), ValueFromField = "quantity")]
public sealed class RemoveInStock
{
    public static JsonNode? InStockFromQuantity(JsonObject book) => book["quantity"] is { } quantity && quantity.GetValue<int>() > 0;
}

[VersionChange("2023-06-01", "`price` is an object with `amount` and `currency`, no longer text.")]
[FieldTypeChanged(typeof(Book), "price", "string", "object")]
public sealed class PriceAsObject
{
    [BackwardTransform(typeof(Book), Field = "price")]
    public static string PriceAsText(Money price)
        => string.Create(CultureInfo.InvariantCulture, $"{price.Amount / 100}.{price.Amount % 100:00} {price.Currency.ToUpperInvariant()}");
}

[VersionChange("2024-01-01", "`tags` is a list, no longer one comma-separated string.")]
[FieldTypeChanged(typeof(Book), "tags", "string", "array")]
public sealed class TagsAsList
{
    [BackwardTransform(typeof(Book), Field = "tags")]
    public static void JoinTags(JsonObject book)
        => book["tags"] = string.Join(',', book["tags"]!.AsArray().Select(tag => tag!.GetValue<string>()));
}

[VersionChange("2024-06-01", "Shelves' `items` is now `books`.")]
[FieldRenamed(typeof(Shelf), "items", "books")]
public sealed class RenameShelfItems;

/// <summary>The app's JSON contract: source-generated for every type a payload holds, nothing by reflection.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(Shelf))]
[JsonSerializable(typeof(Book))]
[JsonSerializable(typeof(Author))]
[JsonSerializable(typeof(Money))]
[JsonSerializable(typeof(Genre))]
[JsonSerializable(typeof(ApiList<Book>))]
[JsonSerializable(typeof(IReadOnlyList<Book>))]
[JsonSerializable(typeof(IReadOnlyList<string>))]
[JsonSerializable(typeof(object))]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(bool))]
[JsonSerializable(typeof(int))]
[JsonSerializable(typeof(long))]
internal sealed partial class BookstoreJsonContext : JsonSerializerContext;
