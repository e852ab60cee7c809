using System.ComponentModel.DataAnnotations;
using System.Text;
using Microsoft.Extensions.Options;
using Serilog;
using Serilog.Configuration;
using Serilog.Events;
using Serilog.Formatting;
using Serilog.Formatting.Compact;
using Serilog.Formatting.Display;
using Serilog.Sinks.File;

namespace Portfolio.Web.Infrastructure;

public static class LoggingExtensions
{
    /// <summary>Daily log files kept (the privacy notice says so: requests are logged without the client's address).</summary>
    public const int LogFileDays = 14;

    /// <summary>
    /// Serilog (Serilog.AspNetCore) as the app's only logger: levels from the <c>Serilog</c> configuration section,
    /// lines to the console and to rolling files in <c>umbraco/Logs</c>, as text or as compact JSON (CLEF).
    /// </summary>
    /// <remarks>
    /// The logger belongs to this host, not to the static <see cref="Log"/> (<c>preserveStaticLogger</c>): the
    /// integration tests build many hosts in one process, and a static logger shared, frozen and closed by each of
    /// them would mix their lines and fail the second freeze. The static one is the bootstrap logger of
    /// <see cref="PortfolioHost.RunAsync"/>. <c>writeToProviders</c> hands every event to the
    /// <see cref="Microsoft.Extensions.Logging.ILoggerProvider"/>s registered in the container too: none in the app
    /// (the framework's are cleared), a test's log capture in the tests.
    /// <para>
    /// Both sinks write on background threads, each through a <see cref="BatchingLogSink"/> rather than
    /// Serilog.Sinks.Async (that class says why, with the figure), so a request never waits for a disk or a terminal.
    /// The file is the log of record (in the container it sits in the <c>umbraco</c> volume) and gets every line: when
    /// its queue is full the logging thread waits. The console drops lines rather than hold up requests when it cannot
    /// keep up. The file is buffered and flushed every second, so a busy site pays for one write per 64 KiB instead of
    /// a write and a flush per line. The console gets every line in Development; elsewhere
    /// (systemd, containers) all but the one-per-request lines, which at a few thousand requests a second would cost
    /// more than the requests themselves (see tests/bench/README.md). <c>Logs:RequestsToConsole</c> overrides that.
    /// </para>
    /// </remarks>
    public static WebApplicationBuilder AddPortfolioLogging(this WebApplicationBuilder builder)
    {
        builder.Logging.ClearProviders();
        // The redaction of manage tokens reads the request being served.
        builder.Services.AddHttpContextAccessor();
        // Configuration and environment come from the container: what the tests set on the host arrives after
        // Program.cs has run this line.
        builder.Services.AddSerilog(
            (services, logger) => logger.ForPortfolio(services.GetRequiredService<IConfiguration>(), services.GetRequiredService<IHostEnvironment>(),
                services.GetService<IHttpContextAccessor>()),
            preserveStaticLogger: true,
            writeToProviders: true);
        return builder;
    }

    private static LoggerConfiguration ForPortfolio(this LoggerConfiguration logger, IConfiguration configuration, IHostEnvironment environment,
        IHttpContextAccessor? requests)
    {
        var paths = new PortfolioPaths(environment.ContentRootPath);
        var settings = LogSettings.From(configuration);
        var requestsToConsole = settings.RequestsToConsole ?? environment.IsDevelopment();
        return logger
            .WithPortfolioLevels(configuration)
            // PortfolioHost.RunAsync reports a failed start as one line; the host's own report of the same
            // failure, with its stack trace, would bury it.
            .Filter.ByExcluding(IsHostStartFailure)
            .Enrich.FromLogContext()
            // Both sinks behind the redaction of manage tokens (ManageTokenRedactingSink says why a sink).
            .WriteTo.Sink(LoggerSinkConfiguration.Wrap(sink => new ManageTokenRedactingSink(sink, requests), sinks =>
            {
                sinks.Conditional(
                    logEvent => requestsToConsole || !RequestLogging.IsRequestLine(logEvent),
                    console => console.Batched(sink => sink.Console(ConsoleFormatter(settings.ConsoleFormat)), settings.BatchInterval, dropWhenFull: true));
                sinks.Batched(
                    file => file.File(
                        FileFormatter(settings.FileFormat),
                        Path.Combine(paths.Logs, "portfolio-.log"),
                        rollingInterval: RollingInterval.Day,
                        retainedFileCountLimit: LogFileDays,
                        fileSizeLimitBytes: 50 * 1024 * 1024,
                        rollOnFileSizeLimit: true,
                        buffered: true,
                        flushToDiskInterval: settings.FileFlushInterval,
                        hooks: new LargeWriteBuffer()),
                    settings.BatchInterval);
            }));
    }

    /// <summary>Like <c>WriteTo.Async</c>, but through a <see cref="BatchingLogSink"/>.</summary>
    private static LoggerConfiguration Batched(this LoggerSinkConfiguration sinks, Action<LoggerSinkConfiguration> configure, TimeSpan interval,
        bool dropWhenFull = false) =>
        sinks.Sink(LoggerSinkConfiguration.Wrap(sink => new BatchingLogSink(sink, interval, dropWhenFull: dropWhenFull), configure));

    /// <summary>
    /// The logger for the moments before the host's own exists and after it is gone: the console only, in the
    /// format <c>Logs:ConsoleFormat</c> asks for on the command line or in the environment (where a container sets
    /// it; appsettings.json is not read yet). A value it cannot read is left for the host's configuration to refuse.
    /// </summary>
    /// <remarks>
    /// Not Serilog's reloadable <c>CreateBootstrapLogger()</c>: the host keeps its own logger (see
    /// <see cref="AddPortfolioLogging"/>), so there is nothing to reload this one into.
    /// </remarks>
    public static Serilog.Core.Logger CreateBootstrapLogger(string[] args)
    {
        var early = new ConfigurationBuilder().AddEnvironmentVariables().AddCommandLine(args).Build();
        var format = Enum.TryParse<LogFormat>(early[$"{LogSettings.SectionName}:{nameof(LogSettings.ConsoleFormat)}"], ignoreCase: true, out var parsed)
            ? parsed
            : LogFormat.Text;
        // Text: the message alone (the start-up line carries what matters in its words; an empty "{}" would only add noise).
        return new LoggerConfiguration()
            .WriteTo.Console(format == LogFormat.Json ? new CompactJsonFormatter() : new MessageTemplateTextFormatter(BootstrapTemplate))
            .CreateLogger();
    }

    private static LoggerConfiguration WithPortfolioLevels(this LoggerConfiguration logger, IConfiguration configuration) => logger
        .MinimumLevel.Information()
        .MinimumLevel.Override("Microsoft.AspNetCore", LogEventLevel.Warning)
        .MinimumLevel.Override("Microsoft.EntityFrameworkCore", LogEventLevel.Warning)
        // EF logs every refused command as an error with its SQL, also the refusals the app expects and answers
        // (a slot taken meanwhile: 409; the first migration check on an empty database). A failure the app does
        // not handle still reaches the log, as the exception the request ended with.
        .MinimumLevel.Override("Microsoft.EntityFrameworkCore.Database.Command", LogEventLevel.Fatal)
        .MinimumLevel.Override("Microsoft.EntityFrameworkCore.Update", LogEventLevel.Fatal)
        .MinimumLevel.Override("Microsoft.Hosting.Lifetime", LogEventLevel.Information)
        .ReadFrom.Configuration(configuration);

    private static readonly ScalarValue HostCategory = new("Microsoft.Extensions.Hosting.Internal.Host");

    /// <summary>The host's "Hosting failed to start" (its event 11, HostedServiceStartupFaulted).</summary>
    private static bool IsHostStartFailure(LogEvent logEvent) =>
        logEvent.Level == LogEventLevel.Error
        && logEvent.Properties.TryGetValue("SourceContext", out var source) && HostCategory.Equals(source)
        && logEvent.Properties.TryGetValue("EventId", out var eventId)
        && eventId is StructureValue { Properties: [{ Name: "Id", Value: ScalarValue { Value: 11 } }, ..] };

    private const string BootstrapTemplate = "[{Timestamp:HH:mm:ss} {Level:u3}] {Message:lj}{NewLine}{Exception}";

    private const string ConsoleTemplate = "[{Timestamp:HH:mm:ss} {Level:u3}] {Message:lj} {Properties:j}{NewLine}{Exception}";

    internal const string FileTemplate = "{Timestamp:yyyy-MM-dd HH:mm:ss.fff zzz} [{Level:u3}] {SourceContext} {Message:lj} {Properties:j}{NewLine}{Exception}";

    private static ITextFormatter ConsoleFormatter(LogFormat format) =>
        format == LogFormat.Json ? new CompactJsonFormatter() : new MessageTemplateTextFormatter(ConsoleTemplate);

    private static ITextFormatter FileFormatter(LogFormat format) =>
        format == LogFormat.Json ? new CompactJsonFormatter() : new MessageTemplateTextFormatter(FileTemplate);
}

/// <summary>How log lines are written: as text for people, or as compact JSON (CLEF, one object a line) for log shippers.</summary>
public enum LogFormat
{
    Text,

    /// <summary>
    /// Serilog's compact JSON (CLEF): <c>@t</c>, <c>@mt</c> (the message template, its values beside it as
    /// properties), <c>@l</c> (left out for Information), <c>@x</c>, <c>@tr</c>/<c>@sp</c>. Seq and Serilog's CLEF
    /// tools render the message; stores that do not still index every property.
    /// </summary>
    Json,
}

/// <summary>The <c>Logs</c> configuration section.</summary>
public sealed class LogSettings
{
    public const string SectionName = "Logs";

    /// <summary>Whether the one-per-request lines also go to the console; default: in Development only.</summary>
    public bool? RequestsToConsole { get; init; }

    /// <summary>How long a line may wait in the file buffer before it is written out.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00")]
    public TimeSpan FileFlushInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How long the background writers (file, console) rest after writing out the queued lines. Short on purpose:
    /// queued lines are objects the garbage collector has to keep (see <see cref="BatchingLogSink"/>).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:00:10")]
    public TimeSpan BatchInterval { get; init; } = TimeSpan.FromMilliseconds(5);

    /// <summary>The console's lines: text (default) or compact JSON for a log shipper.</summary>
    [EnumDataType(typeof(LogFormat))]
    public LogFormat ConsoleFormat { get; init; }

    /// <summary>The log files' lines: text (default) or compact JSON for a log shipper.</summary>
    [EnumDataType(typeof(LogFormat))]
    public LogFormat FileFormat { get; init; }

    /// <summary>
    /// Read while the host is being built, before the options system exists, with the same generated checks as every
    /// other section: a bad value stops the start with one line (<see cref="StartupProblem"/>), as theirs do.
    /// </summary>
    internal static LogSettings From(IConfiguration configuration)
    {
        var settings = configuration.GetSection(SectionName).Get<LogSettings>() ?? new LogSettings();
        var result = new SettingNameValidator<LogSettings>(new LogSettingsValidator(), SectionName).Validate(SectionName, settings);
        return result.Failed ? throw new OptionsValidationException(SectionName, typeof(LogSettings), result.Failures) : settings;
    }
}

[OptionsValidator]
public sealed partial class LogSettingsValidator : IValidateOptions<LogSettings>;

/// <summary>
/// Writes the log file in 64 KiB pieces (the file stream's own buffer is 4 KiB): fewer write calls,
/// and fewer change events for the file watcher that reloads configuration from the content root.
/// </summary>
internal sealed class LargeWriteBuffer : FileLifecycleHooks
{
    public override Stream OnFileOpened(string path, Stream underlyingStream, Encoding encoding) =>
        new BufferedStream(underlyingStream, 64 * 1024);
}
