using System.Diagnostics;
using System.Reflection;

namespace Portfolio.Tests.Infrastructure;

/// <summary>
/// The app as a separate, real process (<c>dotnet Portfolio.Web.dll --urls … --contentRoot …</c>), for tests
/// that must be able to kill it like the operating system would. Uses the build of src/Portfolio.Web in
/// the same configuration as these tests (building the tests builds it).
/// </summary>
public sealed class PortfolioProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Queue<string> _output = new();

    private PortfolioProcess(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public bool HasExited => _process.HasExited;

    /// <summary>The last lines the process wrote (for failure messages).</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return string.Join('\n', _output);
            }
        }
    }

    /// <summary>src/Portfolio.Web/bin/{Debug|Release}/net10.0/Portfolio.Web.dll of this repository.</summary>
    public static string AppDll
    {
        get
        {
            var configuration = typeof(PortfolioProcess).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
            var dll = Repository.WebAppDll(configuration);
            return File.Exists(dll) ? dll : throw new InvalidOperationException($"{dll} is missing: build src/Portfolio.Web ({configuration}) first.");
        }
    }

    /// <summary>Starts the app on a free loopback port with these extra command-line settings and waits until it answers.</summary>
    public static async Task<PortfolioProcess> StartAsync(
        string contentRoot, IEnumerable<string> settings, IReadOnlyDictionary<string, string>? environment = null, TimeSpan? startTimeout = null)
    {
        var app = Launch(contentRoot, settings, environment);
        var process = app._process;
        using var client = new HttpClient { BaseAddress = app.BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + (startTimeout ?? TimeSpan.FromSeconds(120));
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"The app exited with code {process.ExitCode} while starting:\n{app.Output}");
            }

            try
            {
                if ((await client.GetAsync("/health/ready")).IsSuccessStatusCode)
                {
                    return app;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
                // Busy starting.
            }

            await Task.Delay(200);
        }

        await app.DisposeAsync();
        throw new TimeoutException($"The app did not become ready within {(startTimeout ?? TimeSpan.FromSeconds(120)).TotalSeconds:0} s:\n{app.Output}");
    }

    /// <summary>
    /// Starts the app with these settings for a start that must fail: waits until it exits (killing it after
    /// <paramref name="timeout"/>) and returns its exit code and every line it wrote, standard output and error.
    /// </summary>
    public static async Task<(int ExitCode, IReadOnlyList<string> Lines)> RunUntilExitAsync(
        string contentRoot, IEnumerable<string> settings, TimeSpan timeout)
    {
        await using var app = Launch(contentRoot, settings, environment: null);
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await app._process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"The app was still running after {timeout.TotalSeconds:0} s:\n{app.Output}");
        }

        // The last lines may still be on their way from the pipes' readers; WaitForExit() without a timeout waits for them.
        app._process.WaitForExit();
        lock (app._output)
        {
            return (app._process.ExitCode, app._output.ToList());
        }
    }

    /// <summary><see cref="RunUntilExitAsync(string, IEnumerable{string}, TimeSpan)"/> in a fresh content root, removed afterwards.</summary>
    public static async Task<(int ExitCode, IReadOnlyList<string> Lines)> RunUntilExitAsync(IEnumerable<string> settings, TimeSpan timeout)
    {
        var contentRoot = Directory.CreateTempSubdirectory("portfolio-start-").FullName;
        try
        {
            return await RunUntilExitAsync(contentRoot, settings, timeout);
        }
        finally
        {
            Directory.Delete(contentRoot, recursive: true);
        }
    }

    private static PortfolioProcess Launch(string contentRoot, IEnumerable<string> settings, IReadOnlyDictionary<string, string>? environment)
    {
        var port = FreePort.Next();
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = contentRoot,
        };
        var arguments = new List<string> { AppDll, "--urls", $"http://127.0.0.1:{port}", "--contentRoot", contentRoot };
        // It runs as Production, which requires the public address; a test that sets its own (or an empty one) wins.
        if (!settings.Any(setting => setting.StartsWith("--Site:PublicUrl=", StringComparison.OrdinalIgnoreCase)))
        {
            arguments.Add($"--Site:PublicUrl=http://127.0.0.1:{port}");
        }

        foreach (var argument in arguments.Concat(settings))
        {
            start.ArgumentList.Add(argument);
        }

        // The child is configured by its command line only, not by whatever the test run has in its environment.
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment.Remove("ASPNETCORE_URLS");
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start dotnet.");
        var app = new PortfolioProcess(process, new Uri($"http://127.0.0.1:{port}"));
        process.OutputDataReceived += (_, line) => app.Record(line.Data);
        process.ErrorDataReceived += (_, line) => app.Record(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return app;
    }

    /// <summary>The command-line settings that put the app on this test database (SQLite: the content root's default file).</summary>
    public static IEnumerable<string> DatabaseSettings(TestDatabase database) =>
        database.IsPostgres ? ["--Database:Provider=Postgres", $"--ConnectionStrings:Portfolio={database.ConnectionString}"] : [];

    /// <summary>SIGKILL, as <c>kill -9</c>: no shutdown hooks, no flushing, no goodbye.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
    }

    private void Record(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.Enqueue(line);
            while (_output.Count > 200)
            {
                _output.Dequeue();
            }
        }
    }
}
