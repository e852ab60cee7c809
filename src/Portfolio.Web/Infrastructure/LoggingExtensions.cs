using System.Text;
using Serilog;
using Serilog.Configuration;
using Serilog.Events;
using Serilog.Sinks.File;

namespace Portfolio.Web.Infrastructure;

public static class LoggingExtensions
{
    /// <summary>
    /// Serilog from the <c>Serilog</c> configuration section (levels), writing structured lines to the
    /// console and to rolling files in <c>umbraco/Logs</c>. Serilog.AspNetCore is not served here, so the
    /// logger is plugged in through Serilog.Extensions.Logging and requests are logged by
    /// <see cref="RequestLoggingMiddleware"/>.
    /// </summary>
    /// <remarks>
    /// Both sinks write on background threads, so a request never waits for a disk or a terminal (a console that cannot
    /// keep up loses lines, as it did with Serilog.Sinks.Async; the file does not). Each goes through a
    /// <see cref="BatchingLogSink"/>, whose writer takes the queued lines out at most every 5 ms instead of being woken
    /// for each (Serilog.Sinks.Async's worker, on the console until 2026-12-03, spun before each wait: 3.5 % of the
    /// app's CPU at 400 contact messages a second, whose "stored" lines go to the console). The file is the log of
    /// record (in the container it sits in the <c>umbraco</c> volume) and gets every line; it is buffered and flushed
    /// every second, so a busy site pays for one write per 64 KiB instead of a wake-up, a write and a flush per line.
    /// The console gets every line in Development; elsewhere (systemd, containers) it gets all but the one-per-request
    /// lines, which at a few thousand requests a second would cost more than the requests themselves (see
    /// tests/bench/README.md). <c>Logs:RequestsToConsole</c> overrides that.
    /// </remarks>
    public static WebApplicationBuilder AddPortfolioLogging(this WebApplicationBuilder builder)
    {
        var paths = new PortfolioPaths(builder.Environment.ContentRootPath);
        var settings = builder.Configuration.GetSection(LogSettings.SectionName).Get<LogSettings>() ?? new LogSettings();
        var requestsToConsole = settings.RequestsToConsole ?? builder.Environment.IsDevelopment();

        var logger = new LoggerConfiguration()
            .MinimumLevel.Information()
            .MinimumLevel.Override("Microsoft.AspNetCore", LogEventLevel.Warning)
            .MinimumLevel.Override("Microsoft.EntityFrameworkCore", LogEventLevel.Warning)
            // EF logs every refused command as an error with its SQL, also the refusals the app expects and answers
            // (a slot taken meanwhile: 409; the first migration check on an empty database). A failure the app does
            // not handle still reaches the log, as the exception the request ended with.
            .MinimumLevel.Override("Microsoft.EntityFrameworkCore.Database.Command", LogEventLevel.Fatal)
            .MinimumLevel.Override("Microsoft.EntityFrameworkCore.Update", LogEventLevel.Fatal)
            .MinimumLevel.Override("Microsoft.Hosting.Lifetime", LogEventLevel.Information)
            .ReadFrom.Configuration(builder.Configuration)
            .Enrich.FromLogContext()
            .WriteTo.Conditional(
                logEvent => requestsToConsole || !IsRequestLine(logEvent),
                console => console.Batched(
                    sink => sink.Console(outputTemplate: "[{Timestamp:HH:mm:ss} {Level:u3}] {Message:lj} {Properties:j}{NewLine}{Exception}"),
                    settings.BatchInterval, dropWhenFull: true))
            .WriteTo.Batched(
                file => file.File(
                    new LogFileFormatter(),
                    Path.Combine(paths.Logs, "portfolio-.log"),
                    rollingInterval: RollingInterval.Day,
                    retainedFileCountLimit: 14,
                    fileSizeLimitBytes: 50 * 1024 * 1024,
                    rollOnFileSizeLimit: true,
                    buffered: true,
                    flushToDiskInterval: settings.FileFlushInterval,
                    hooks: new LargeWriteBuffer()),
                settings.BatchInterval)
            .CreateLogger();

        builder.Logging.ClearProviders();
        builder.Logging.AddSerilog(logger, dispose: true);
        return builder;
    }

    /// <summary>Like <c>WriteTo.Async</c>, but through a <see cref="BatchingLogSink"/>.</summary>
    private static LoggerConfiguration Batched(this LoggerSinkConfiguration sinks, Action<LoggerSinkConfiguration> configure, TimeSpan interval,
        bool dropWhenFull = false) =>
        LoggerSinkConfiguration.Wrap(sinks, sink => new BatchingLogSink(sink, interval, dropWhenFull: dropWhenFull), configure, LogEventLevel.Verbose, levelSwitch: null);

    private static readonly ScalarValue RequestLoggingSource = new(typeof(RequestLoggingMiddleware).FullName);

    private static bool IsRequestLine(LogEvent logEvent) =>
        logEvent.Properties.TryGetValue("SourceContext", out var source) && RequestLoggingSource.Equals(source);
}

/// <summary>The <c>Logs</c> configuration section.</summary>
public sealed class LogSettings
{
    public const string SectionName = "Logs";

    /// <summary>Whether the one-per-request lines also go to the console; default: in Development only.</summary>
    public bool? RequestsToConsole { get; init; }

    /// <summary>How long a line may wait in the file buffer before it is written out.</summary>
    public TimeSpan FileFlushInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How long the background writers (file, console) rest after writing out the queued lines. Short on purpose:
    /// queued lines are objects the garbage collector has to keep (see <see cref="BatchingLogSink"/>).
    /// </summary>
    public TimeSpan BatchInterval { get; init; } = TimeSpan.FromMilliseconds(5);
}

/// <summary>
/// Writes the log file in 64 KiB pieces (the file stream's own buffer is 4 KiB): fewer write calls,
/// and fewer change events for the file watcher that reloads configuration from the content root.
/// </summary>
internal sealed class LargeWriteBuffer : FileLifecycleHooks
{
    public override Stream OnFileOpened(string path, Stream underlyingStream, Encoding encoding) =>
        new BufferedStream(underlyingStream, 64 * 1024);
}
