using System.Diagnostics;
using Portfolio.Web.Booking;
using Serilog;
using Serilog.Events;

namespace Portfolio.Web.Infrastructure;

/// <summary>
/// One structured line per request, from Serilog.AspNetCore's request logging: method, path, status, duration and
/// trace id; Error for a 5xx or an exception, Information otherwise.
/// </summary>
public static class RequestLogging
{
    /// <summary>
    /// The line's message. tests/bench/run.sh and api/bench.py read "HTTP GET /path responded 200 in 1.234 ms" from
    /// the log file, so the wording stays.
    /// </summary>
    internal const string MessageTemplate = "HTTP {RequestMethod} {RequestPath} responded {StatusCode} in {Elapsed:0.000} ms ({TraceId})";

    /// <summary>The request line's <c>SourceContext</c>, the category of Serilog.AspNetCore's middleware.</summary>
    internal const string SourceContext = "Serilog.AspNetCore.RequestLoggingMiddleware";

    private static readonly ScalarValue Source = new(SourceContext);

    public static WebApplication UsePortfolioRequestLogging(this WebApplication app)
    {
        // The host's logger: the middleware's default, the static Log, is only the bootstrap logger here.
        var logger = app.Services.GetRequiredService<Serilog.ILogger>();
        app.UseSerilogRequestLogging(options =>
        {
            options.Logger = logger;
            options.MessageTemplate = MessageTemplate;
            options.GetMessageTemplateProperties = (context, _, elapsedMs, statusCode) =>
            [
                new LogEventProperty("RequestMethod", new ScalarValue(context.Request.Method)),
                new LogEventProperty("RequestPath", new ScalarValue(Redact(context.Request.Path))),
                new LogEventProperty("StatusCode", new ScalarValue(statusCode)),
                new LogEventProperty("Elapsed", new ScalarValue(elapsedMs)),
                new LogEventProperty("TraceId", new ScalarValue(Activity.Current?.TraceId.ToString() ?? context.TraceIdentifier)),
            ];
        });
        return app;
    }

    internal static bool IsRequestLine(LogEvent logEvent) =>
        logEvent.Properties.TryGetValue("SourceContext", out var source) && Source.Equals(source);

    /// <summary>
    /// A booking's manage link carries its secret token in the path; the log keeps the route, not the
    /// secret, so a leaked log file cannot cancel anyone's meeting. Every other event is redacted on its way to the
    /// sinks (<see cref="ManageTokenRedactingSink"/>).
    /// </summary>
    internal static string Redact(PathString path) => ManageLinks.RedactPath(path);
}
