using Serilog;
using Serilog.Events;

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
    /// Both sinks write on background threads, so a request never waits for a disk or a terminal. The file
    /// is the log of record (in the container it sits in the <c>umbraco</c> volume) and gets every line,
    /// buffered and flushed every second: one write per few kilobytes instead of a write and a flush per
    /// line. The console gets every line in Development; elsewhere (systemd, containers) it gets all but
    /// the one-per-request lines, which at a few thousand requests a second would cost more than the
    /// requests themselves (see tests/bench/README.md). <c>Logs:RequestsToConsole</c> overrides that.
    /// </remarks>
    public static WebApplicationBuilder AddPortfolioLogging(this WebApplicationBuilder builder)
    {
        var paths = new PortfolioPaths(builder.Environment.ContentRootPath);
        var settings = builder.Configuration.GetSection(LogSettings.SectionName).Get<LogSettings>() ?? new LogSettings();
        var requestsToConsole = settings.RequestsToConsole ?? builder.Environment.IsDevelopment();
        var fileTemplate = "{Timestamp:yyyy-MM-dd HH:mm:ss.fff zzz} [{Level:u3}] {SourceContext} {Message:lj} {Properties:j}{NewLine}{Exception}";

        var logger = new LoggerConfiguration()
            .MinimumLevel.Information()
            .MinimumLevel.Override("Microsoft.AspNetCore", LogEventLevel.Warning)
            .MinimumLevel.Override("Microsoft.EntityFrameworkCore", LogEventLevel.Warning)
            .MinimumLevel.Override("Microsoft.Hosting.Lifetime", LogEventLevel.Information)
            .ReadFrom.Configuration(builder.Configuration)
            .Enrich.FromLogContext()
            .WriteTo.Logger(console => console
                .Filter.ByExcluding(logEvent => !requestsToConsole && IsRequestLine(logEvent))
                .WriteTo.Async(sink => sink.Console(
                    outputTemplate: "[{Timestamp:HH:mm:ss} {Level:u3}] {Message:lj} {Properties:j}{NewLine}{Exception}")))
            .WriteTo.Async(sink => sink.File(
                Path.Combine(paths.Logs, "portfolio-.log"),
                outputTemplate: fileTemplate,
                rollingInterval: RollingInterval.Day,
                retainedFileCountLimit: 14,
                fileSizeLimitBytes: 50 * 1024 * 1024,
                rollOnFileSizeLimit: true,
                buffered: true,
                flushToDiskInterval: settings.FileFlushInterval),
                // A full queue makes requests wait rather than lose their log lines.
                blockWhenFull: true)
            .CreateLogger();

        builder.Logging.ClearProviders();
        builder.Logging.AddSerilog(logger, dispose: true);
        return builder;
    }

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
}
