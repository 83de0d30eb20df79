namespace VersionKit;

/// <summary>
/// A list envelope, as Stripe's JSON carries lists: <c>{"object":"list","data":[...],"has_more":false,"url":"/v1/charges"}</c>.
/// Its items are rendered at the caller's version like any resource.
/// </summary>
/// <typeparam name="T">The item type.</typeparam>
public sealed class ApiList<T>
{
    /// <summary>Creates a list of <paramref name="data"/>.</summary>
    public ApiList(IReadOnlyList<T> data, string url, bool hasMore = false)
    {
        Data = data;
        Url = url;
        HasMore = hasMore;
    }

    /// <summary>Always <c>list</c>.</summary>
    public string Object => "list";

    /// <summary>The items.</summary>
    public IReadOnlyList<T> Data { get; }

    /// <summary>Whether more items follow the last one.</summary>
    public bool HasMore { get; }

    /// <summary>The URL the list was read from.</summary>
    public string Url { get; }
}
