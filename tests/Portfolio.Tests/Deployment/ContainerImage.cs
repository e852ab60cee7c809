using System.Diagnostics;
using System.Net.Http.Json;
using System.Text;

namespace Portfolio.Tests.Deployment;

/// <summary>
/// The repository's Dockerfile, built unmodified with Debian's podman by tests/container/build-image.sh (which makes local
/// stand-ins for Microsoft's base images; tests/run.sh builds it before the suites, so here it usually finds it built),
/// and one container of it started as the README says to run it: the data volume, the port published on loopback only
/// and Site__PublicUrl. Every container and volume it or a test makes carries this run's name and is removed on dispose.
/// </summary>
public sealed class ContainerImage : IAsyncLifetime
{
    public const string Image = "localhost/portfolio:test";

    private static readonly string BuildScript = Path.Combine(Repository.Root, "tests", "container", "build-image.sh");

    private readonly string _runName = "portfolio-test-" + Guid.NewGuid().ToString("N")[..8];
    private readonly List<string> _containers = [];
    private readonly List<string> _volumes = [];

    /// <summary>Why these tests do not run here; null when they do.</summary>
    public string? SkipReason { get; private set; }

    /// <summary>The container every test may share (and must not stop).</summary>
    public RunningContainer Shared { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        if (TestDatabase.ProviderFromEnvironment != "Sqlite")
        {
            SkipReason = "The image runs on SQLite by default: these run in the SQLite suite only.";
            return;
        }

        if (!Podman.IsInstalled)
        {
            SkipReason = "podman is not installed (tests/run.sh installs it and builds the image).";
            return;
        }

        var build = await Podman.RunProcessAsync("bash", [BuildScript], TimeSpan.FromMinutes(45), new() { ["PORTFOLIO_IMAGE"] = Image });
        if (build.ExitCode != 0)
        {
            throw new InvalidOperationException($"tests/container/build-image.sh failed (exit {build.ExitCode}):\n{build.Tail(60)}");
        }

        try
        {
            Shared = await StartAsync("shared", NewVolume("shared"));
        }
        catch
        {
            // The container and volume go at once, whether or not xunit disposes a fixture whose start failed (twice is harmless).
            await DisposeAsync();
            throw;
        }
    }

    /// <summary>A named volume for /app/umbraco, removed with the run.</summary>
    public string NewVolume(string name)
    {
        var volume = $"{_runName}-{name}";
        _volumes.Add(volume);
        return volume;
    }

    /// <summary>
    /// <c>podman run -d</c> of the image with <paramref name="volume"/> at /app/umbraco, port 8080 published on a free
    /// loopback port, Site__PublicUrl that address, and <paramref name="options"/>; returns once /health/ready answers 200.
    /// </summary>
    public async Task<RunningContainer> StartAsync(string name, string volume, params string[] options)
    {
        var container = $"{_runName}-{name}";
        var port = FreePort.Next();
        var publicUrl = new Uri($"http://127.0.0.1:{port}");
        _containers.Add(container);
        var run = await Podman.RunAsync(
        [
            "run", "--detach", "--name", container,
            "--publish", $"127.0.0.1:{port}:8080",
            "--volume", $"{volume}:/app/umbraco",
            "--env", $"Site__PublicUrl={publicUrl.AbsoluteUri.TrimEnd('/')}",
            .. options,
            Image,
        ]);
        Assert.True(run.ExitCode == 0, $"podman run failed:\n{run}");

        var started = new RunningContainer(container, publicUrl);
        await started.WaitUntilReadyAsync(TimeSpan.FromSeconds(120));
        return started;
    }

    public async Task DisposeAsync()
    {
        foreach (var container in _containers)
        {
            await Podman.RunAsync(["rm", "--force", "--time", "0", container]);
        }

        foreach (var volume in _volumes)
        {
            await Podman.RunAsync(["volume", "rm", "--force", volume]);
        }
    }
}

/// <summary>One container of the image, reached at <see cref="BaseAddress"/> (its port 8080, published on loopback).</summary>
public sealed class RunningContainer(string name, Uri baseAddress)
{
    public string Name { get; } = name;

    public Uri BaseAddress { get; } = baseAddress;

    public HttpClient CreateClient() => new() { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(10) };

    /// <summary>Everything the app wrote to standard output and error (<c>podman logs</c>).</summary>
    public async Task<string> LogsAsync() => (await Podman.RunAsync(["logs", Name])).AllOutput;

    /// <summary>A field of <c>podman inspect</c>, e.g. <c>{{.State.ExitCode}}</c>.</summary>
    public async Task<string> InspectAsync(string format)
    {
        var inspect = await Podman.RunAsync(["inspect", "--format", format, Name]);
        Assert.True(inspect.ExitCode == 0, $"podman inspect failed:\n{inspect}");
        return inspect.Output.Trim();
    }

    public async Task WaitUntilReadyAsync(TimeSpan timeout)
    {
        using var client = CreateClient();
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < timeout)
        {
            try
            {
                if ((await client.GetAsync("/health/ready")).IsSuccessStatusCode)
                {
                    return;
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

            if (await InspectAsync("{{.State.Running}}") != "true")
            {
                throw new InvalidOperationException($"The container {Name} stopped while starting:\n{await LogsAsync()}");
            }

            await Task.Delay(250);
        }

        throw new TimeoutException($"The container {Name} was not ready within {timeout.TotalSeconds:0} s:\n{await LogsAsync()}");
    }

    /// <summary>A contact message through the public API; returns the id the app answers with (202).</summary>
    public async Task<Guid> SendContactMessageAsync(string subject)
    {
        using var client = CreateClient();
        var response = await client.PostAsJsonAsync("/api/v1/contact-messages", new
        {
            name = "Container Test",
            email = "container-test@example.com",
            subject,
            message = $"A message written to the volume ({subject}).",
        });
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.Accepted,
            $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<IdAnswer>())!.Id;
    }

    private sealed record IdAnswer(Guid Id);
}

/// <summary>Debian's podman, configured by the project's tests/container/containers.conf only.</summary>
public static class Podman
{
    private const string Executable = "/usr/bin/podman";

    private static readonly string Configuration = Path.Combine(Repository.Root, "tests", "container", "containers.conf");

    public static bool IsInstalled => File.Exists(Executable);

    public sealed record Result(int ExitCode, string Output, string Errors)
    {
        public string AllOutput => Output + Errors;

        /// <summary>The last lines of both streams, for a failure message.</summary>
        public string Tail(int lines) => string.Join('\n', AllOutput.Split('\n').TakeLast(lines));

        public override string ToString() => $"exit {ExitCode}\nstdout:\n{Output}\nstderr:\n{Errors}";
    }

    public static Task<Result> RunAsync(IEnumerable<string> arguments, TimeSpan? timeout = null) =>
        RunProcessAsync(Executable, arguments, timeout ?? TimeSpan.FromMinutes(2));

    /// <summary>Runs a process with CONTAINERS_CONF set to the project's file; killed (and reported) after <paramref name="timeout"/>.</summary>
    public static async Task<Result> RunProcessAsync(
        string file, IEnumerable<string> arguments, TimeSpan timeout, Dictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["CONTAINERS_CONF"] = Configuration;
        foreach (var (name, value) in environment ?? [])
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {file}.");
        var output = new StringBuilder();
        var errors = new StringBuilder();
        process.OutputDataReceived += (_, line) => { lock (output) { output.AppendLine(line.Data); } };
        process.ErrorDataReceived += (_, line) => { lock (errors) { errors.AppendLine(line.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            return new Result(-1, output.ToString(), $"{errors}\n{file} was killed after {timeout.TotalMinutes:0.#} min.");
        }

        // The last lines may still be on their way from the pipes' readers; WaitForExit() without a timeout waits for them.
        process.WaitForExit();
        return new Result(process.ExitCode, output.ToString(), errors.ToString());
    }
}
