using VersionKit;
using VersionKit.Aot.App;

// Renders one fixed payload at every version of the history, one line per version ('<version> <json>'), through the
// compiled writers; then through the reference chain, and says whether the two agree. The test that publishes this
// program with NativeAOT checks every line against JSON written by hand.
var shelf = new Shelf
{
    Id = "shelf_1",
    Books = new ApiList<Book>(
        [
            new Book
            {
                Id = "book_1",
                Title = "Dune",
                Format = "audio",
                Genre = Genre.Fiction,
                PageCount = 412,
                Quantity = 0,
                Price = new Money { Amount = 1250, Currency = "eur" },
                Tags = ["classic", "space"],
                Author = new Author { Id = "auth_1", DisplayName = "Frank Herbert" },
            },
            new Book
            {
                Id = "book_2",
                Title = "Maus",
                Format = "paper",
                Genre = Genre.GraphicNovel,
                PageCount = 296,
                Quantity = 3,
                Price = new Money { Amount = 999, Currency = "usd" },
                Tags = [],
                Author = new Author { Id = "auth_2", DisplayName = "Art Spiegelman" },
            },
        ],
        "/v1/shelves/shelf_1/books"),
    Featured = new Author { Id = "auth_3", DisplayName = "Ursula K. Le Guin" },
};

var history = BookstoreHistory.Default;
var compiled = new ApiRenderer(history, BookstoreJsonContext.Default.Options);
var reference = new ApiRenderer(history, BookstoreJsonContext.Default.Options, RenderPath.Reference);

var disagreements = new List<string>();
foreach (var version in history.Versions)
{
    string json = compiled.Render(shelf, version);
    Console.WriteLine($"{version} {json}");

    string byReference = reference.Render(shelf, version);
    if (byReference != json)
    {
        disagreements.Add($"reference {version} {byReference}");
    }
}

// The reference chain's own rendering of each version where it differs, so that a failure shows both sides.
disagreements.ForEach(Console.WriteLine);
Console.WriteLine($"reference path agrees: {(disagreements.Count == 0 ? "true" : "false")}");
return disagreements.Count == 0 ? 0 : 1;
