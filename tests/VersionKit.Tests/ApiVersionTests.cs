namespace VersionKit.Tests;

public class ApiVersionTests
{
    [Theory]
    [InlineData("2011-08-01", "2011-08-01", null)]
    [InlineData("2024-09-30.acacia", "2024-09-30", "acacia")]
    [InlineData("2024-02-29.r2", "2024-02-29", "r2")]
    public void Parses_a_date_with_an_optional_release_name(string text, string date, string? name)
    {
        var version = ApiVersion.Parse(text);
        Assert.Equal(DateOnly.ParseExact(date, "yyyy-MM-dd"), version.Date);
        Assert.Equal(name, version.ReleaseName);
        Assert.Equal(text, version.ToString());
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("2011-8-01", "expected a release date in the form yyyy-MM-dd")]
    [InlineData("2011-02-30", "expected a release date in the form yyyy-MM-dd")]
    [InlineData("2011-13-01", "expected a release date in the form yyyy-MM-dd")]
    [InlineData(" 2011-08-01", "expected a release date in the form yyyy-MM-dd")]
    [InlineData("2011/08/01", "expected a release date in the form yyyy-MM-dd")]
    [InlineData("latest", "expected a release date in the form yyyy-MM-dd")]
    [InlineData("2024-09-30.", "the release name after '.' is empty")]
    [InlineData("2024-09-30.Acacia", "may hold only lowercase letters a-z and digits")]
    [InlineData("2024-09-30.aca cia", "may hold only lowercase letters a-z and digits")]
    [InlineData("2024-09-30.a.b", "may hold only lowercase letters a-z and digits")]
    public void Refuses_anything_else_and_says_why(string text, string reason)
    {
        Assert.False(ApiVersion.TryParse(text, out _, out string? error));
        Assert.Contains(reason, error, StringComparison.Ordinal);
        var exception = Assert.Throws<FormatException>(() => ApiVersion.Parse(text));
        Assert.Equal(error, exception.Message);
    }

    [Fact]
    public void Control_characters_never_reach_the_message()
    {
        Assert.False(ApiVersion.TryParse("2011-08-01\r\nX-Evil: 1", out _, out string? error));
        Assert.DoesNotContain('\n', error);
        Assert.Contains("\\u000d\\u000a", error, StringComparison.Ordinal);
    }

    [Fact]
    public void An_oversized_value_is_refused_by_its_length()
    {
        string text = "2011-08-01." + new string('a', 500);
        Assert.False(ApiVersion.TryParse(text, out _, out string? error));
        Assert.Contains("511 characters long", error, StringComparison.Ordinal);
        Assert.True(error.Length < 200);
    }

    [Fact]
    public void Orders_by_date_then_release_name()
    {
        string[] sorted = [.. new[] { "2024-09-30.basil", "2011-08-01", "2024-09-30.acacia", "2014-05-19", "2024-09-30" }
            .Select(ApiVersion.Parse).Order().Select(v => v.ToString())];
        Assert.Equal(["2011-08-01", "2014-05-19", "2024-09-30", "2024-09-30.acacia", "2024-09-30.basil"], sorted);
        Assert.True(ApiVersion.Parse("2011-08-01") < ApiVersion.Parse("2011-08-02"));
        Assert.True(ApiVersion.Parse("2024-09-30.acacia") != ApiVersion.Parse("2024-09-30"));
        Assert.Equal(ApiVersion.Parse("2024-09-30.acacia"), new ApiVersion(new DateOnly(2024, 9, 30), "acacia"));
    }

    [Fact]
    public void A_constructed_version_checks_its_release_name()
    {
        Assert.Throws<ArgumentException>(() => new ApiVersion(new DateOnly(2024, 9, 30), "Not Valid"));
    }
}

/// <summary>A version in JSON is the string callers send and see.</summary>
public class ApiVersionJsonTests
{
    private sealed record Holder(ApiVersion Version, Dictionary<ApiVersion, int> Counts);

    [Fact]
    public void A_version_is_written_and_read_as_its_string()
    {
        var holder = new Holder(ApiVersion.Parse("2024-09-30.acacia"), new() { [ApiVersion.Parse("2011-08-01")] = 3 });
        string json = System.Text.Json.JsonSerializer.Serialize(holder);

        Assert.Equal("""{"Version":"2024-09-30.acacia","Counts":{"2011-08-01":3}}""", json);
        var back = System.Text.Json.JsonSerializer.Deserialize<Holder>(json)!;
        Assert.Equal(holder.Version, back.Version);
        Assert.Equal(3, back.Counts[ApiVersion.Parse("2011-08-01")]);
    }

    [Theory]
    [InlineData("""{"Version":"2024-02-30","Counts":{}}""", "not a version")]
    [InlineData("""{"Version":20240930,"Counts":{}}""", "is a string")]
    [InlineData("""{"Version":"2024-09-30","Counts":{"yesterday":1}}""", "yesterday")]
    public void A_bad_version_in_json_says_what_is_wrong(string json, string expected)
    {
        var error = Assert.Throws<System.Text.Json.JsonException>(() => System.Text.Json.JsonSerializer.Deserialize<Holder>(json));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }
}
