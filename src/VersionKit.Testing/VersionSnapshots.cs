using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace VersionKit.Testing;

/// <summary>
/// Snapshot tests for every version of an API: renders a resource, a payload or a live response at every version of the
/// history (or at chosen ones) and compares each with a stored file next to the test, named as Verify names them
/// (<c>{Class}.{Method}.{version}.verified.json</c>). A difference or a missing file fails with a diff that names the
/// version, and writes a <c>.received.json</c> beside the verified file; <c>VERSIONKIT_ACCEPT_SNAPSHOTS=1</c> accepts them.
/// Works in any test framework: a failure is a <see cref="SnapshotMismatchException"/>.
/// </summary>
/// <example><code>
/// static readonly VersionSnapshots Snapshots = new(PaymentsApiHistory.Default);
///
/// [Fact]
/// public void Charge_at_every_version() => Snapshots.Verify(new Charge { Id = "ch_1", Amount = 2000, Currency = "usd" });
///
/// [Fact]
/// public Task Get_charge_at_every_version() => Snapshots.VerifyEndpointAsync(client, "/v1/charges/ch_1");
/// </code></example>
public sealed class VersionSnapshots
{
    private readonly Lazy<ApiRenderer> _renderer;

    /// <summary>
    /// Snapshots of <paramref name="history"/>. Values are serialized with <paramref name="serializerOptions"/>, which should be
    /// the app's; without them, with ASP.NET Core's defaults and the naming policy declared on the history.
    /// </summary>
    public VersionSnapshots(ApiHistory history, JsonSerializerOptions? serializerOptions = null)
    {
        ArgumentNullException.ThrowIfNull(history);
        History = history;
        var options = serializerOptions ?? new JsonSerializerOptions(JsonSerializerDefaults.Web) { PropertyNamingPolicy = NamingPolicyOf(history.NamingPolicy) };
        _renderer = new(() => new ApiRenderer(history, options));
    }

    /// <summary>Snapshots rendered by <paramref name="renderer"/> (the app's own, from its services, renders exactly as the app does).</summary>
    public VersionSnapshots(ApiRenderer renderer)
    {
        ArgumentNullException.ThrowIfNull(renderer);
        History = renderer.History;
        _renderer = new(renderer);
    }

    /// <summary>The history whose versions are snapshotted.</summary>
    public ApiHistory History { get; }

    /// <summary>The settings of every verification that names none of its own.</summary>
    public SnapshotSettings Settings { get; init; } = SnapshotSettings.Default;

    /// <summary>
    /// Renders <paramref name="value"/> (a resource, or any payload of resources; a <see cref="JsonNode"/> is taken as JSON
    /// already in the current shape) at every version and compares each with its verified snapshot.
    /// </summary>
    /// <param name="value">What to render.</param>
    /// <param name="settings">Settings for this verification; <see cref="Settings"/> when <see langword="null"/>.</param>
    /// <param name="sourceFile">Filled in by the compiler: the test's source file, next to which the snapshots live.</param>
    /// <param name="testName">Filled in by the compiler: the test's name.</param>
    /// <exception cref="SnapshotMismatchException">A version's rendering differs from its verified snapshot, or has none.</exception>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public void Verify<T>(T value, SnapshotSettings? settings = null, [CallerFilePath] string sourceFile = "", [CallerMemberName] string testName = "")
    {
        settings ??= Settings;
        var location = SnapshotLocation.Find(settings, sourceFile, testName);
        var renderer = _renderer.Value;
        var renderings = new List<(ApiVersion, string)>();
        foreach (var version in VersionsOf(settings))
        {
            JsonNode? node;
            if (value is JsonNode payload)
            {
                node = payload.DeepClone();
                renderer.Transform(node, version);
            }
            else
            {
                node = SnapshotJson.Parse(renderer.RenderToUtf8Bytes(value, version));
            }

            SnapshotJson.Scrub(node, settings.Scrubbers);
            renderings.Add((version, SnapshotJson.Write(node)));
        }

        SnapshotComparison.Verify(location, settings, renderings);
    }

    /// <summary>
    /// Sends <c>GET <paramref name="requestUri"/></c> once per version, naming the version in <see cref="SnapshotSettings.VersionHeader"/>,
    /// and compares each response body with its verified snapshot. Headers the requests need (authorization) go on the client.
    /// </summary>
    /// <param name="client">A client of the app under test: a real one, or <c>WebApplicationFactory.CreateClient()</c>.</param>
    /// <param name="requestUri">The endpoint, relative to the client's base address.</param>
    /// <param name="settings">Settings for this verification; <see cref="Settings"/> when <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the requests.</param>
    /// <param name="sourceFile">Filled in by the compiler: the test's source file, next to which the snapshots live.</param>
    /// <param name="testName">Filled in by the compiler: the test's name.</param>
    /// <exception cref="SnapshotMismatchException">A version's response differs from its verified snapshot, or has none.</exception>
    /// <exception cref="InvalidOperationException">A response failed, was not JSON, or did not echo the version it was asked for.</exception>
    [MethodImpl(MethodImplOptions.NoInlining)]
    [System.Diagnostics.CodeAnalysis.SuppressMessage("ApiDesign", "RS0026:Do not add multiple public overloads with optional parameters", Justification = "The overloads differ by their required second parameter; the caller-information parameters must be optional.")]
    public Task VerifyEndpointAsync(HttpClient client, string requestUri, SnapshotSettings? settings = null, CancellationToken cancellationToken = default, [CallerFilePath] string sourceFile = "", [CallerMemberName] string testName = "")
    {
        ArgumentException.ThrowIfNullOrEmpty(requestUri);
        return VerifyEndpointAsync(client, _ => new HttpRequestMessage(HttpMethod.Get, requestUri), settings, cancellationToken, sourceFile, testName);
    }

    /// <summary>
    /// Sends the request <paramref name="createRequest"/> makes for each version (it may differ by version, as a request body
    /// written for an old version does), with the version in <see cref="SnapshotSettings.VersionHeader"/>, and compares each
    /// response body with its verified snapshot.
    /// </summary>
    /// <param name="client">A client of the app under test: a real one, or <c>WebApplicationFactory.CreateClient()</c>.</param>
    /// <param name="createRequest">Makes a new request for a version; the version header is set on it.</param>
    /// <param name="settings">Settings for this verification; <see cref="Settings"/> when <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the requests.</param>
    /// <param name="sourceFile">Filled in by the compiler: the test's source file, next to which the snapshots live.</param>
    /// <param name="testName">Filled in by the compiler: the test's name.</param>
    /// <exception cref="SnapshotMismatchException">A version's response differs from its verified snapshot, or has none.</exception>
    /// <exception cref="InvalidOperationException">A response failed, was not JSON, or did not echo the version it was asked for.</exception>
    [MethodImpl(MethodImplOptions.NoInlining)]
    [System.Diagnostics.CodeAnalysis.SuppressMessage("ApiDesign", "RS0026:Do not add multiple public overloads with optional parameters", Justification = "The overloads differ by their required second parameter; the caller-information parameters must be optional.")]
    public Task VerifyEndpointAsync(HttpClient client, Func<ApiVersion, HttpRequestMessage> createRequest, SnapshotSettings? settings = null, CancellationToken cancellationToken = default, [CallerFilePath] string sourceFile = "", [CallerMemberName] string testName = "")
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(createRequest);
        settings ??= Settings;

        // Found now, while the test's frame is on the stack: after an await it may not be.
        var location = SnapshotLocation.Find(settings, sourceFile, testName);
        return VerifyResponsesAsync(client, createRequest, settings, VersionsOf(settings), location, cancellationToken);
    }

    private static async Task VerifyResponsesAsync(HttpClient client, Func<ApiVersion, HttpRequestMessage> createRequest, SnapshotSettings settings, IReadOnlyList<ApiVersion> versions, SnapshotLocation location, CancellationToken cancellationToken)
    {
        var renderings = new List<(ApiVersion, string)>();
        foreach (var version in versions)
        {
            using var request = createRequest(version) ?? throw new InvalidOperationException($"The request factory returned null for version {version}.");
            request.Headers.Remove(settings.VersionHeader);
            request.Headers.TryAddWithoutValidation(settings.VersionHeader, version.ToString());
            string what = $"{request.Method} {request.RequestUri} at version {version}";
            using var response = await client.SendAsync(request, cancellationToken).ConfigureAwait(false);
            byte[] body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                throw new InvalidOperationException($"{what} answered {(int)response.StatusCode} {response.ReasonPhrase}: {Excerpt(body)}");
            }

            string? echoed = response.Headers.TryGetValues(settings.VersionHeader, out var values) ? string.Join(", ", values) : null;
            if (echoed != version.ToString())
            {
                throw new InvalidOperationException(
                    $"{what} answered {(echoed is null ? "without a " + settings.VersionHeader + " header" : $"at version '{echoed}'")}: the endpoint is not "
                    + $"versioned (WithVersionKit()), or the app reads another header than SnapshotSettings.VersionHeader ({settings.VersionHeader}).");
            }

            JsonNode? node;
            try
            {
                node = SnapshotJson.Parse(body);
            }
            catch (JsonException exception)
            {
                throw new InvalidOperationException($"{what} answered {response.Content.Headers.ContentType?.ToString() ?? "no content type"}, not JSON ({exception.Message}): {Excerpt(body)}", exception);
            }

            SnapshotJson.Scrub(node, settings.Scrubbers);
            renderings.Add((version, SnapshotJson.Write(node)));
        }

        SnapshotComparison.Verify(location, settings, renderings);
    }

    private IReadOnlyList<ApiVersion> VersionsOf(SnapshotSettings settings)
    {
        if (settings.Versions is not { } chosen)
        {
            return History.Versions;
        }

        if (chosen.Count == 0)
        {
            throw new ArgumentException("SnapshotSettings.Versions is empty: name at least one version, or leave it null for every version.", nameof(settings));
        }

        var unknown = chosen.Where(v => !History.IsKnown(v)).ToList();
        if (unknown.Count > 0)
        {
            throw new ArgumentException(
                $"SnapshotSettings.Versions names {string.Join(", ", unknown)}, not {(unknown.Count == 1 ? "a version" : "versions")} of {History.GetType().Name}. "
                + $"Valid versions: {string.Join(", ", History.Versions)}.",
                nameof(settings));
        }

        return [.. chosen.Distinct().Order()];
    }

    private static JsonNamingPolicy? NamingPolicyOf(JsonKnownNamingPolicy policy) => policy switch
    {
        JsonKnownNamingPolicy.CamelCase => JsonNamingPolicy.CamelCase,
        JsonKnownNamingPolicy.SnakeCaseLower => JsonNamingPolicy.SnakeCaseLower,
        JsonKnownNamingPolicy.SnakeCaseUpper => JsonNamingPolicy.SnakeCaseUpper,
        JsonKnownNamingPolicy.KebabCaseLower => JsonNamingPolicy.KebabCaseLower,
        JsonKnownNamingPolicy.KebabCaseUpper => JsonNamingPolicy.KebabCaseUpper,
        _ => null,
    };

    private static string Excerpt(byte[] body)
    {
        string text = Encoding.UTF8.GetString(body, 0, Math.Min(body.Length, 500));
        return body.Length > 500 ? text + "..." : text.Length == 0 ? "(empty body)" : text;
    }
}
