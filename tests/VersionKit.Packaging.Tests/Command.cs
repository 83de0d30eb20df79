using System.Diagnostics;
using System.Text;

namespace VersionKit.Packaging.Tests;

/// <summary>A command run to its end, or a server started and stopped: its output kept for the failure message.</summary>
public sealed class Command : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly TaskCompletionSource _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _outputClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _errorClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<(Func<string, bool> Match, TaskCompletionSource<string> Found)> _waiting = [];

    private Command(string fileName, IEnumerable<string> arguments, string directory, IReadOnlyDictionary<string, string?> environment)
    {
        var start = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment)
        {
            if (value is null)
            {
                start.Environment.Remove(name);
            }
            else
            {
                start.Environment[name] = value;
            }
        }

        // The test runs under 'dotnet test': MSBuild's and the test host's variables would steer the child's build.
        foreach (string name in start.Environment.Keys.Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase) || k.StartsWith("VSTEST", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            if (!environment.ContainsKey(name))
            {
                start.Environment.Remove(name);
            }
        }

        _process = new Process { StartInfo = start, EnableRaisingEvents = true };
        _process.OutputDataReceived += (_, e) => Receive(e.Data, _outputClosed);
        _process.ErrorDataReceived += (_, e) => Receive(e.Data, _errorClosed);
        _process.Exited += (_, _) => _exited.TrySetResult();
        Line = fileName + " " + string.Join(' ', arguments);
        _process.Start();
        _process.StandardInput.Close();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string Line { get; }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static Command Start(string fileName, IEnumerable<string> arguments, string directory, IReadOnlyDictionary<string, string?> environment)
        => new(fileName, arguments, directory, environment);

    /// <summary>Runs to the end; the exit code and everything printed.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(string fileName, IEnumerable<string> arguments, string directory, IReadOnlyDictionary<string, string?> environment, TimeSpan timeout)
    {
        using var command = Start(fileName, arguments, directory, environment);
        int exitCode = await command.WaitAsync(timeout);
        return (exitCode, command.Output);
    }

    public async Task<int> WaitAsync(TimeSpan timeout)
    {
        if (await Task.WhenAny(_exited.Task, Task.Delay(timeout)) != _exited.Task)
        {
            _process.Kill(entireProcessTree: true);
            throw new TimeoutException($"'{Line}' did not finish within {timeout.TotalSeconds:0} s. Output:\n{Output}");
        }

        // A server the command started (the compiler's) may hold its output open: do not wait for that.
        await Task.WhenAny(Task.WhenAll(_outputClosed.Task, _errorClosed.Task), Task.Delay(TimeSpan.FromSeconds(5)));
        return _process.ExitCode;
    }

    /// <summary>Waits for a line of output that <paramref name="match"/> accepts, while the process runs.</summary>
    public async Task<string> WaitForLineAsync(Func<string, bool> match, TimeSpan timeout)
    {
        var found = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_output)
        {
            if (_output.ToString().Split('\n').FirstOrDefault(match) is { } line)
            {
                return line;
            }

            _waiting.Add((match, found));
        }

        var first = await Task.WhenAny(found.Task, _exited.Task, Task.Delay(timeout));
        if (first == found.Task)
        {
            return await found.Task;
        }

        throw new InvalidOperationException(first == _exited.Task
            ? $"'{Line}' exited ({_process.ExitCode}) before printing the line expected. Output:\n{Output}"
            : $"'{Line}' did not print the line expected within {timeout.TotalSeconds:0} s. Output:\n{Output}");
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }

        _process.Dispose();
    }

    private void Receive(string? line, TaskCompletionSource closed)
    {
        if (line is null)
        {
            closed.TrySetResult();
            return;
        }

        lock (_output)
        {
            _output.Append(line).Append('\n');
            foreach (var waiting in _waiting.Where(w => w.Match(line)).ToList())
            {
                waiting.Found.TrySetResult(line);
                _waiting.Remove(waiting);
            }
        }
    }
}
