using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;

namespace Payments.Api.Tests;

/// <summary>
/// A real headless Chromium (Debian's <c>chromium</c>; test.sh installs it), driven over its DevTools protocol: open a page
/// with request headers, read what the page shows with JavaScript, take a screenshot. One browser per instance, with a
/// fresh profile, ended by its process id when disposed.
/// </summary>
internal sealed class HeadlessChromium : IAsyncDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private readonly Process _process;
    private readonly string _profile;
    private readonly ClientWebSocket _socket = new();
    private readonly ConcurrentDictionary<int, TaskCompletionSource<JsonObject>> _pending = new();
    private readonly List<JsonObject> _events = [];
    private readonly CancellationTokenSource _stop = new();
    private Task _receiving = Task.CompletedTask;
    private int _lastId;

    private HeadlessChromium(Process process, string profile)
    {
        _process = process;
        _profile = profile;
    }

    public static async Task<HeadlessChromium> StartAsync()
    {
        string executable = Environment.GetEnvironmentVariable("CHROMIUM") ?? "chromium";
        string profile = Directory.CreateTempSubdirectory("versionkit-chromium-").FullName;
        var start = new ProcessStartInfo(executable) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (string arg in (string[])[
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage", "--hide-scrollbars", "--user-data-dir=" + profile,
            "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0", "about:blank"])
        {
            start.ArgumentList.Add(arg);
        }

        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception exception)
        {
            throw new InvalidOperationException($"Cannot start '{executable}': install Debian's chromium package (test.sh does), or set CHROMIUM to the browser.", exception);
        }

        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var browser = new HeadlessChromium(process, profile);
        try
        {
            // Chromium writes the port it chose and the browser's WebSocket path into the profile.
            string portFile = Path.Combine(profile, "DevToolsActivePort");
            var deadline = DateTime.UtcNow + Timeout;
            string[] lines = [];
            while (lines.Length < 2)
            {
                if (process.HasExited || DateTime.UtcNow > deadline)
                {
                    throw new InvalidOperationException($"Chromium did not open its DevTools port (exited: {process.HasExited}).");
                }

                await Task.Delay(50);
                lines = File.Exists(portFile) ? File.ReadAllLines(portFile) : [];
            }

            await browser._socket.ConnectAsync(new Uri($"ws://127.0.0.1:{lines[0]}{lines[1]}"), CancellationToken.None);
            browser._receiving = browser.ReceiveAsync();
            return browser;
        }
        catch
        {
            await browser.DisposeAsync();
            throw;
        }
    }

    /// <summary>Opens <paramref name="url"/> in a new tab of <paramref name="width"/>×<paramref name="height"/> CSS pixels, sending <paramref name="headers"/> with every request, and waits for it to load.</summary>
    public async Task<Page> OpenAsync(string url, int width, int height, IReadOnlyDictionary<string, string>? headers = null)
    {
        var target = await SendAsync("Target.createTarget", new JsonObject { ["url"] = "about:blank" });
        var attached = await SendAsync("Target.attachToTarget", new JsonObject { ["targetId"] = (string?)target["targetId"], ["flatten"] = true });
        var page = new Page(this, (string)attached["sessionId"]!);
        await page.SendAsync("Page.enable");
        await page.SendAsync("Network.enable");
        if (headers is not null)
        {
            var extra = new JsonObject();
            foreach (var (name, value) in headers)
            {
                extra[name] = value;
            }

            await page.SendAsync("Network.setExtraHTTPHeaders", new JsonObject { ["headers"] = extra });
        }

        await page.SendAsync("Emulation.setDeviceMetricsOverride", new JsonObject { ["width"] = width, ["height"] = height, ["deviceScaleFactor"] = 1, ["mobile"] = false });
        int seen = EventCount;
        var navigated = await page.SendAsync("Page.navigate", new JsonObject { ["url"] = url });
        if (navigated["errorText"] is { } error)
        {
            throw new InvalidOperationException($"Chromium could not open {url}: {error}");
        }

        await WaitForEventAsync(page.SessionId, "Page.loadEventFired", seen);
        return page;
    }

    private async Task<JsonObject> SendAsync(string method, JsonObject? parameters = null, string? sessionId = null)
    {
        int id = Interlocked.Increment(ref _lastId);
        var message = new JsonObject { ["id"] = id, ["method"] = method, ["params"] = parameters ?? [] };
        if (sessionId is not null)
        {
            message["sessionId"] = sessionId;
        }

        var answer = new TaskCompletionSource<JsonObject>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = answer;
        await _socket.SendAsync(Encoding.UTF8.GetBytes(message.ToJsonString()), WebSocketMessageType.Text, true, CancellationToken.None);
        var response = await answer.Task.WaitAsync(Timeout);
        return response["error"] is { } failure
            ? throw new InvalidOperationException($"DevTools {method} failed: {failure.ToJsonString()}")
            : response["result"]?.AsObject() ?? [];
    }

    private int EventCount
    {
        get
        {
            lock (_events)
            {
                return _events.Count;
            }
        }
    }

    /// <summary>Waits for an event that arrived after the first <paramref name="after"/> events.</summary>
    private async Task WaitForEventAsync(string sessionId, string method, int after)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (DateTime.UtcNow < deadline)
        {
            lock (_events)
            {
                if (_events.Skip(after).Any(e => (string?)e["method"] == method && (string?)e["sessionId"] == sessionId))
                {
                    return;
                }
            }

            await Task.Delay(25);
        }

        throw new TimeoutException($"Chromium did not report {method} within {Timeout.TotalSeconds} s.");
    }

    private async Task ReceiveAsync()
    {
        var buffer = new byte[1 << 16];
        using var message = new MemoryStream();
        try
        {
            while (_socket.State == WebSocketState.Open)
            {
                var result = await _socket.ReceiveAsync(buffer, _stop.Token);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }

                message.Write(buffer, 0, result.Count);
                if (!result.EndOfMessage)
                {
                    continue;
                }

                var json = JsonNode.Parse(message.ToArray())!.AsObject();
                message.SetLength(0);
                if (json["id"] is { } id && _pending.TryRemove((int)id, out var answer))
                {
                    answer.SetResult(json);
                }
                else if (json["method"] is not null)
                {
                    lock (_events)
                    {
                        _events.Add(json);
                    }
                }
            }
        }
        catch (Exception exception) when (exception is OperationCanceledException or WebSocketException)
        {
            // The browser is going away.
        }

        foreach (var answer in _pending.Values)
        {
            answer.TrySetException(new InvalidOperationException("Chromium closed the DevTools connection."));
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_socket.State == WebSocketState.Open)
            {
                await SendAsync("Browser.close").WaitAsync(TimeSpan.FromSeconds(5));
            }
        }
        catch (Exception exception) when (exception is InvalidOperationException or TimeoutException or WebSocketException)
        {
            // Ended below instead.
        }

        _stop.Cancel();
        await _receiving;
        _socket.Dispose();
        if (!_process.WaitForExit(5_000))
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5_000);
        }

        _process.Dispose();
        _stop.Dispose();
        try
        {
            Directory.Delete(_profile, recursive: true);
        }
        catch (IOException)
        {
            // A helper process may still hold a file of the profile; it sits in temp.
        }
    }

    /// <summary>One tab.</summary>
    internal sealed class Page(HeadlessChromium browser, string sessionId)
    {
        public string SessionId => sessionId;

        public Task<JsonObject> SendAsync(string method, JsonObject? parameters = null) => browser.SendAsync(method, parameters, sessionId);

        /// <summary>The value of a JavaScript expression, as JSON.</summary>
        public async Task<JsonNode?> EvaluateAsync(string expression)
        {
            var result = await SendAsync("Runtime.evaluate", new JsonObject { ["expression"] = expression, ["returnByValue"] = true, ["awaitPromise"] = true });
            return result["exceptionDetails"] is { } exception
                ? throw new InvalidOperationException($"The page could not evaluate {expression}: {exception.ToJsonString()}")
                : result["result"]?["value"];
        }

        /// <summary>A PNG of the whole page, as tall as its content, or of the first screen only.</summary>
        public async Task ScreenshotAsync(string path, bool wholePage = true)
        {
            var metrics = await SendAsync("Page.getLayoutMetrics");
            var size = metrics[wholePage ? "cssContentSize" : "cssLayoutViewport"]!;
            double width = (double)size[wholePage ? "width" : "clientWidth"]!;
            double height = Math.Min((double)size[wholePage ? "height" : "clientHeight"]!, 16_000);
            var shot = await SendAsync("Page.captureScreenshot", new JsonObject
            {
                ["format"] = "png",
                ["captureBeyondViewport"] = wholePage,
                ["clip"] = new JsonObject { ["x"] = 0, ["y"] = 0, ["width"] = width, ["height"] = height, ["scale"] = 1 },
            });
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await File.WriteAllBytesAsync(path, Convert.FromBase64String((string)shot["data"]!));
        }
    }
}
