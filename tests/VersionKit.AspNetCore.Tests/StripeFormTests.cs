using System.Text.Json.Nodes;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Primitives;

namespace VersionKit.AspNetCore.Tests;

/// <summary>Form bodies read into JSON for the request upgrade and written back: odd keys are clear errors, odd values survive.</summary>
[Trait("Category", "Reliability")]
public sealed class StripeFormTests
{
    private static JsonObject Read(string form) => StripeForm.ToJson(QueryHelpers.ParseQuery(form));

    [Theory]
    [InlineData("items[0]=a&items[x]=b", "treats 'items' as a list and as an object")]
    [InlineData("items[0]=a&items[0][b]=c", "treats item 0 of 'items' as an object, but it also has a value")]
    [InlineData("card=card_1&card[id]=x", "treats 'card' as an object, but it also has a value")]
    [InlineData("card[id]=x&card=card_1", "gives a value to 'card', which is also an object")]
    [InlineData("card[id=x", "is malformed")]
    [InlineData("card[id]x=1", "is malformed")]
    [InlineData("[id]=x", "has no name")]
    public void A_key_that_cannot_be_read_is_an_error_naming_the_field(string form, string message)
    {
        var error = Assert.Throws<RequestShapeException>(() => Read(form));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.NotNull(error.Field);
    }

    [Fact]
    public void Keys_nest_at_most_MaxDepth_levels()
    {
        string Key(int depth) => "m" + string.Concat(Enumerable.Repeat("[a]", depth - 1)) + "=1";
        Assert.NotNull(Read(Key(StripeForm.MaxDepth)));
        var error = Assert.Throws<RequestShapeException>(() => Read(Key(StripeForm.MaxDepth + 1)));
        Assert.Equal("m", error.Field);
        Assert.Contains("nested more than 32 levels", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("name=J%C3%A9r%C3%B4me+%F0%9F%92%B3&note=a%2Bb%26c%3Dd")]
    [InlineData("metadata[order]=6735&metadata[empty]=&expand[]=customer&expand[]=source")]
    [InlineData("items[0][price]=p_1&items[0][qty]=2&items[1][price]=p%5B2%5D&x=%25%ZZ")]
    public void A_form_written_back_reads_as_the_same_values(string form)
    {
        var json = Read(form);
        var again = StripeForm.ToJson(QueryHelpers.ParseQuery(StripeForm.Encode(json)));
        Assert.True(JsonNode.DeepEquals(json, again), $"{json.ToJsonString()} became {again.ToJsonString()}");
    }

    [Theory]
    [InlineData("name=first&name=second", "name")]
    [InlineData("metadata[order]=1&metadata[order]=2", "metadata[order]")]
    [InlineData("items[0]=a&items[0]=b", "items[0]")]
    public void A_key_that_gives_one_value_twice_is_refused_naming_it(string form, string key)
    {
        var error = Assert.Throws<RequestShapeException>(() => Read(form));
        Assert.Equal(key, error.Field);
        Assert.Contains("sent twice", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_list_takes_its_items_by_brackets_or_numbers()
    {
        Assert.Equal("""{"expand":["a","b"],"items":["x","y"]}""", Read("expand[]=a&expand[]=b&items[0]=x&items[1]=y").ToJsonString());
        Assert.Equal("second", (string?)StripeForm.ToJson([new("name", new StringValues(["second"]))])["name"]);
    }
}
