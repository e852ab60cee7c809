using Serilog;
using Serilog.Events;

namespace Portfolio.Web.Infrastructure;

public static class LoggingExtensions
{
    /// <summary>
    /// Serilog from the <c>Serilog</c> configuration section (levels, sinks), writing structured lines to
    /// the console and to rolling files in <c>umbraco/Logs</c>. Serilog.AspNetCore is not served here, so
    /// the logger is plugged in through Serilog.Extensions.Logging and requests are logged by
    /// <see cref="RequestLoggingMiddleware"/>.
    /// </summary>
    public static WebApplicationBuilder AddPortfolioLogging(this WebApplicationBuilder builder)
    {
        var paths = new PortfolioPaths(builder.Environment.ContentRootPath);
        var fileTemplate = "{Timestamp:yyyy-MM-dd HH:mm:ss.fff zzz} [{Level:u3}] {SourceContext} {Message:lj} {Properties:j}{NewLine}{Exception}";

        var logger = new LoggerConfiguration()
            .MinimumLevel.Information()
            .MinimumLevel.Override("Microsoft.AspNetCore", LogEventLevel.Warning)
            .MinimumLevel.Override("Microsoft.EntityFrameworkCore", LogEventLevel.Warning)
            .MinimumLevel.Override("Microsoft.Hosting.Lifetime", LogEventLevel.Information)
            .ReadFrom.Configuration(builder.Configuration)
            .Enrich.FromLogContext()
            .WriteTo.Async(sink => sink.Console(
                outputTemplate: "[{Timestamp:HH:mm:ss} {Level:u3}] {Message:lj} {Properties:j}{NewLine}{Exception}"))
            .WriteTo.Async(sink => sink.File(
                Path.Combine(paths.Logs, "portfolio-.log"),
                outputTemplate: fileTemplate,
                rollingInterval: RollingInterval.Day,
                retainedFileCountLimit: 14,
                fileSizeLimitBytes: 50 * 1024 * 1024,
                rollOnFileSizeLimit: true,
                shared: true))
            .CreateLogger();

        builder.Logging.ClearProviders();
        builder.Logging.AddSerilog(logger, dispose: true);
        return builder;
    }
}
