using System.Diagnostics;
using System.Net;

namespace Portfolio.BrowserTests.Infrastructure;

/// <summary>
/// The real app, started as its own process from the build output the way production starts it
/// (<c>dotnet Portfolio.Web.dll --contentRoot DIR</c>), on a free loopback port with a fresh content root.
/// Its stdout and stderr go to a log file among the test results; it is killed (with its children) on dispose.
/// </summary>
public sealed class PortfolioAppProcess : IAsyncDisposable
{
    /// <summary>Who the app tells about new messages and bookings (<c>Email:OwnerAddress</c>), set here so tests can look for it.</summary>
    public const string OwnerAddress = "owner@portfolio-browser-tests.example";

    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(60);

    private readonly Process _process;
    private readonly StreamWriter _log;
    private readonly string _contentRoot;
    private readonly string? _pidFile;

    private PortfolioAppProcess(Process process, StreamWriter log, string contentRoot, Uri baseAddress, string logPath, string? pidFile)
    {
        _process = process;
        _log = log;
        _contentRoot = contentRoot;
        BaseAddress = baseAddress;
        LogPath = logPath;
        _pidFile = pidFile;
    }

    public Uri BaseAddress { get; }

    /// <summary>The provider <c>PORTFOLIO_TEST_BROWSER_DB</c> asks for: <c>Sqlite</c> (default) or <c>Postgres</c>.</summary>
    public static string DatabaseProvider => TestDatabase.ProviderFrom("PORTFOLIO_TEST_BROWSER_DB");

    /// <summary>The app's throwaway content root (its <c>umbraco/Data</c> holds the database and the mail pickup).</summary>
    public string ContentRoot => _contentRoot;

    /// <summary>Where the app writes each outgoing mail as an <c>.eml</c> file (the default pickup transport).</summary>
    public string MailPickupDirectory => MailPickup.Folder(_contentRoot);

    /// <summary>The app's console output (tests/results/browser-app-*.log).</summary>
    public string LogPath { get; }

    /// <summary>
    /// Starts the app on <paramref name="database"/>; <paramref name="settings"/> are extra <c>--Key=value</c>
    /// arguments (configuration), e.g. the initial administrator.
    /// </summary>
    public static async Task<PortfolioAppProcess> StartAsync(TestDatabase database, params IEnumerable<string> settings)
    {
        if (!File.Exists(TestPaths.WebAppAssembly))
        {
            throw new InvalidOperationException(
                $"The app under test is not built: {TestPaths.WebAppAssembly} is missing. " +
                "Build the solution in the same configuration first (tests/run.sh does: dotnet build Portfolio.sln -c Release).");
        }

        // A fresh content root per run: its umbraco/Data holds the SQLite database, keys and mail pickup.
        // It gets the repository's appsettings.json, as the container image does; wwwroot and the sample
        // content come from the build output through the app's own fallbacks.
        var contentRoot = Directory.CreateTempSubdirectory("portfolio-browser-app-").FullName;
        File.Copy(Path.Combine(TestPaths.RepositoryRoot, "appsettings.json"), Path.Combine(contentRoot, "appsettings.json"));

        var port = FreePort.Next();
        var baseAddress = new Uri($"http://127.0.0.1:{port}/");
        Directory.CreateDirectory(TestPaths.Results);
        var logPath = Path.Combine(TestPaths.Results, $"browser-app-{database.Provider.ToLowerInvariant()}-{DateTime.UtcNow:yyyyMMdd-HHmmss}-{Guid.NewGuid().ToString("N")[..6]}.log");
        var log = new StreamWriter(logPath, append: false) { AutoFlush = true };

        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = contentRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
                 {
                     TestPaths.WebAppAssembly, "--urls", baseAddress.GetLeftPart(UriPartial.Authority),
                     "--contentRoot", contentRoot, "--environment", "Production",
                     // Production requires the public address; links in mails and pages then point back at this process.
                     "--Site:PublicUrl=" + baseAddress.GetLeftPart(UriPartial.Authority),
                     // Every browser test posts from 127.0.0.1 to this one process, so the production limits
                     // (5 contact and 10 booking posts per 10 minutes, 10 sign-in posts per 5 minutes per IP) would turn
                     // later tests' posts into 429s. The limiter itself is covered by the integration tests; here it only
                     // has to stay out of the way.
                     "--RateLimiting:ContactWrites:PermitLimit=1000", "--RateLimiting:BookingWrites:PermitLimit=1000",
                     "--RateLimiting:SignIn:PermitLimit=1000",
                     "--Email:OwnerAddress=" + OwnerAddress,
                 }.Concat(settings))
        {
            start.ArgumentList.Add(argument);
        }

        // Nothing from the developer's shell may steer the app elsewhere.
        foreach (var inherited in start.Environment.Keys.Where(IsAppSetting).ToList())
        {
            start.Environment.Remove(inherited);
        }

        start.Environment["Database__Provider"] = database.Provider;
        if (database.ConnectionString is not null)
        {
            start.Environment["ConnectionStrings__Portfolio"] = database.ConnectionString;
        }

        start.Environment["DOTNET_NOLOGO"] = "1";

        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, line) => WriteLine(log, line.Data);
        process.ErrorDataReceived += (_, line) => WriteLine(log, line.Data is null ? null : "[stderr] " + line.Data);
        WriteLine(log, $"# dotnet {string.Join(' ', start.ArgumentList)} (Database:Provider={database.Provider})");
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        // tests/run.sh kills whatever is listed here if this test process dies before disposing the app.
        string? pidFile = null;
        if (Environment.GetEnvironmentVariable("PORTFOLIO_TEST_PIDDIR") is { Length: > 0 } pidDirectory && Directory.Exists(pidDirectory))
        {
            pidFile = Path.Combine(pidDirectory, $"browser-app-{process.Id}.pid");
            await File.WriteAllTextAsync(pidFile, process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        var app = new PortfolioAppProcess(process, log, contentRoot, baseAddress, logPath, pidFile);
        try
        {
            await app.WaitUntilReadyAsync();
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        return app;
    }

    private static bool IsAppSetting(string name) =>
        name.StartsWith("ASPNETCORE_", StringComparison.OrdinalIgnoreCase) ||
        name.StartsWith("Database__", StringComparison.OrdinalIgnoreCase) ||
        name.StartsWith("ConnectionStrings__", StringComparison.OrdinalIgnoreCase) ||
        name.StartsWith("Content__", StringComparison.OrdinalIgnoreCase) ||
        name.StartsWith("Mail__", StringComparison.OrdinalIgnoreCase) ||
        name.StartsWith("Email__", StringComparison.OrdinalIgnoreCase);

    private static void WriteLine(StreamWriter log, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (log)
        {
            try
            {
                log.WriteLine(line);
            }
            catch (ObjectDisposedException)
            {
                // A last line after the app was disposed of: nobody reads it any more.
            }
        }
    }

    private async Task WaitUntilReadyAsync()
    {
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = Stopwatch.StartNew();
        var lastAnswer = "no answer yet";
        while (deadline.Elapsed < ReadyTimeout)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException(
                    $"The app exited with code {_process.ExitCode} before it was ready. Its output ({LogPath}):\n{Tail()}");
            }

            try
            {
                using var response = await http.GetAsync(new Uri("health/ready", UriKind.Relative));
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }

                lastAnswer = $"HTTP {(int)response.StatusCode}";
            }
            catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
            {
                lastAnswer = exception.Message;
            }

            await Task.Delay(250);
        }

        throw new TimeoutException(
            $"The app did not answer 200 on /health/ready within {ReadyTimeout.TotalSeconds:0} s (last: {lastAnswer}). " +
            $"Its output ({LogPath}):\n{Tail()}");
    }

    /// <summary>
    /// Waits until the app has written a line matching <paramref name="pattern"/> to its console (for example the
    /// first-run setup token, which an operator reads from the log) and returns the match.
    /// </summary>
    public async Task<System.Text.RegularExpressions.Match> WaitForLogAsync(System.Text.RegularExpressions.Regex pattern, TimeSpan? timeout = null)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            lock (_log)
            {
                _log.Flush();
            }

            using (var stream = new FileStream(LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite))
            using (var reader = new StreamReader(stream))
            {
                var match = pattern.Match(await reader.ReadToEndAsync());
                if (match.Success)
                {
                    return match;
                }
            }

            if (deadline.Elapsed > (timeout ?? TimeSpan.FromSeconds(15)))
            {
                throw new TimeoutException($"The app's log has no line matching {pattern}. Its output ({LogPath}):\n{Tail()}");
            }

            await Task.Delay(200);
        }
    }

    private string Tail(int lines = 60)
    {
        lock (_log)
        {
            _log.Flush();
        }

        try
        {
            using var reader = new FileStream(LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var text = new StreamReader(reader);
            var all = text.ReadToEnd().Split('\n');
            return string.Join('\n', all.TakeLast(lines));
        }
        catch (IOException exception)
        {
            return $"(log unreadable: {exception.Message})";
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }

            using var exited = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            await _process.WaitForExitAsync(exited.Token);
        }
        catch (Exception exception) when (exception is InvalidOperationException or OperationCanceledException or System.ComponentModel.Win32Exception)
        {
            // Already gone, or not killable: tests/run.sh's pid list is the backstop.
        }

        _process.Dispose();
        lock (_log)
        {
            _log.Dispose();
        }

        if (_pidFile is not null)
        {
            File.Delete(_pidFile);
        }

        try
        {
            Directory.Delete(_contentRoot, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open: the OS temp cleaner gets it.
        }
    }
}
