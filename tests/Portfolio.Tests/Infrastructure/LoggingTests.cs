using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;

namespace Portfolio.Tests.Infrastructure;

/// <summary>The app as a real process: how it reports a failed start, and its compact JSON (CLEF) log lines.</summary>
[ProviderIndependent]
public sealed partial class LoggingTests
{
    private static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(90);

    [Theory]
    // Options validation while the site is built.
    [InlineData("--Backoffice:MaxFailedSignInAttempts=1", "MaxFailedSignInAttempts")]
    // A value the configuration binder cannot read.
    [InlineData("--Backoffice:IdleTimeout=soon", "Backoffice:IdleTimeout")]
    // Options validation as the host starts, which the host also reports itself, with a stack trace.
    [InlineData("--Email:Transport=Smtp", "Email:Smtp:Host")]
    public async Task AnInvalidSettingStopsTheSiteWithOneErrorLineThatNamesIt(string setting, string named)
    {
        var (exitCode, lines) = await PortfolioProcess.RunUntilExitAsync([setting, "--Content:ImportSampleContent=false"], ExitTimeout);

        var output = string.Join('\n', lines);
        Assert.True(exitCode != 0, $"The app exited with 0:\n{output}");
        var error = Assert.Single(lines, line => ErrorLine().IsMatch(line));
        Assert.Contains(named, error);
        Assert.DoesNotContain(lines, line => line.StartsWith("   at ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task WithJsonOnTheConsoleTheFailedStartIsOneJsonObject()
    {
        var (exitCode, lines) = await PortfolioProcess.RunUntilExitAsync(
            ["--Logs:ConsoleFormat=Json", "--Backoffice:MaxFailedSignInAttempts=1"], ExitTimeout);

        Assert.NotEqual(0, exitCode);
        var events = lines.Where(line => line.Length > 0).Select(Clef).ToList();
        var failure = Assert.Single(events, e => e.TryGetProperty("@l", out var level) && level.GetString() is "Error" or "Fatal");
        Assert.Contains("MaxFailedSignInAttempts", failure.ToString());
        Assert.False(failure.TryGetProperty("@x", out _), "The failure carries a stack trace.");
    }

    [Fact]
    public async Task WithJsonTheConsoleAndTheFileWriteCompactJsonAndTheRequestLineKeepsManageTokensOut()
    {
        const string secret = "Yp_9_fTxHMA6cNJeC_Rq0kqwQpSIA";
        var contentRoot = Directory.CreateTempSubdirectory("portfolio-clef-").FullName;
        try
        {
            string console;
            await using (var app = await PortfolioProcess.StartAsync(
                             contentRoot, ["--Logs:ConsoleFormat=Json", "--Logs:FileFormat=Json", "--Content:ImportSampleContent=false"]))
            {
                using var client = new HttpClient { BaseAddress = app.BaseAddress };
                await client.GetAsync($"/bookings/manage/{secret}");
                await WaitForAsync(() => FileLines(contentRoot).Any(line => line.Contains("/bookings/manage/", StringComparison.Ordinal)));
                console = app.Output;
            }

            // The console: every line one event; a fresh site's setup-token warning says its level, and the
            // request lines stay off it outside Development.
            var consoleEvents = console.Split('\n').Where(line => line.Length > 0).Select(Clef).ToList();
            Assert.All(consoleEvents, e => Assert.True(e.TryGetProperty("@t", out _) && e.TryGetProperty("@mt", out _), e.ToString()));
            Assert.Contains(consoleEvents, e => e.TryGetProperty("@l", out var level) && level.GetString() == "Warning");
            Assert.DoesNotContain(consoleEvents, IsRequestLine);

            // The other request line is the start-up's readiness poll.
            var request = Assert.Single(
                FileLines(contentRoot).Select(Clef).Where(IsRequestLine),
                e => e.GetProperty("RequestPath").GetString()!.StartsWith("/bookings/manage/", StringComparison.Ordinal));
            Assert.Equal("GET", request.GetProperty("RequestMethod").GetString());
            Assert.Equal("/bookings/manage/{token}", request.GetProperty("RequestPath").GetString());
            Assert.True(request.GetProperty("StatusCode").GetInt32() is >= 200 and < 500);
            Assert.True(request.GetProperty("Elapsed").GetDouble() > 0);
            Assert.Equal(request.GetProperty("@tr").GetString(), request.GetProperty("TraceId").GetString());
            Assert.DoesNotContain(secret, console);
            Assert.DoesNotContain(FileLines(contentRoot), line => line.Contains(secret, StringComparison.Ordinal));
        }
        finally
        {
            Directory.Delete(contentRoot, recursive: true);
        }
    }

    private static JsonElement Clef(string line)
    {
        try
        {
            using var document = JsonDocument.Parse(line);
            return document.RootElement.Clone();
        }
        catch (JsonException exception)
        {
            throw new Xunit.Sdk.XunitException($"Not a JSON line ({exception.Message}): {line}");
        }
    }

    private static bool IsRequestLine(JsonElement logEvent) =>
        logEvent.TryGetProperty("SourceContext", out var source) && source.GetString() == "Serilog.AspNetCore.RequestLoggingMiddleware";

    private static List<string> FileLines(string contentRoot)
    {
        var lines = new List<string>();
        foreach (var file in Directory.GetFiles(Path.Combine(contentRoot, "umbraco", "Logs"), "*.log"))
        {
            // The app still has the file open.
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var reader = new StreamReader(stream);
            while (reader.ReadLine() is { } line)
            {
                if (line.Length > 0)
                {
                    lines.Add(line);
                }
            }
        }

        return lines;
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        // The file is flushed every second (Logs:FileFlushInterval).
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "The log file never got the line.");
            await Task.Delay(100);
        }
    }

    [GeneratedRegex(@"^\[\d{2}:\d{2}:\d{2} (ERR|FTL)\] ")]
    private static partial Regex ErrorLine();
}

/// <summary>The request line of a failed request, through the app's own logger.</summary>
public sealed class RequestLineTests(FailingPortfolioApp app) : IClassFixture<FailingPortfolioApp>
{
    [Fact]
    public async Task AFailedRequestIsLoggedAsAnErrorWithTheTraceIdTheClientGot()
    {
        var response = await app.CreateClient().GetAsync("/api/v1/boom");
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var traceId = problem.RootElement.GetProperty("traceId").GetString();

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        var line = Assert.Single(app.Log.Lines, line => line.Category == "Serilog.AspNetCore.RequestLoggingMiddleware");
        Assert.Equal(LogLevel.Error, line.Level);
        Assert.Contains("/api/v1/boom", line.Message);
        Assert.Contains("responded 500 in ", line.Message);
        Assert.Contains(traceId!, line.Message);
    }
}
