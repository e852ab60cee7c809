using System.Diagnostics;

namespace Portfolio.Web.Infrastructure;

/// <summary>
/// One structured log line per request: method, path, status, duration and trace id. Stands in for
/// Serilog.AspNetCore's <c>UseSerilogRequestLogging</c>, which the registry here does not serve.
/// </summary>
public sealed partial class RequestLoggingMiddleware(RequestDelegate next, ILogger<RequestLoggingMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var start = Stopwatch.GetTimestamp();
        var failed = true;
        try
        {
            await next(context);
            failed = false;
        }
        finally
        {
            var elapsedMs = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            var status = failed ? StatusCodes.Status500InternalServerError : context.Response.StatusCode;
            var traceId = Activity.Current?.TraceId.ToString() ?? context.TraceIdentifier;
            var path = Redact(context.Request.Path);
            if (status >= 500)
            {
                LogFailed(logger, context.Request.Method, path, status, elapsedMs, traceId);
            }
            else
            {
                LogCompleted(logger, context.Request.Method, path, status, elapsedMs, traceId);
            }
        }
    }

    /// <summary>
    /// A booking's manage link carries its secret token in the path; the log keeps the route, not the
    /// secret, so a leaked log file cannot cancel anyone's meeting.
    /// </summary>
    internal static string Redact(PathString path) =>
        path.StartsWithSegments("/bookings/manage", out var rest) && rest.HasValue ? "/bookings/manage/{token}" : path.Value ?? "/";

    /// <summary>The line's message; <see cref="LogFileFormatter"/> writes lines with this message without Serilog's template engine.</summary>
    internal const string MessageTemplate = "HTTP {RequestMethod} {RequestPath} responded {StatusCode} in {ElapsedMs:0.000} ms ({TraceId})";

    // No EventId is given, but the generator derives one from the method name and the file line shows it
    // ({"EventId":{"Id":...,"Name":"LogCompleted"}}); LogFileFormatter writes it like any other property.
    [LoggerMessage(Level = LogLevel.Information, Message = MessageTemplate)]
    private static partial void LogCompleted(ILogger logger, string requestMethod, string requestPath, int statusCode, double elapsedMs, string traceId);

    [LoggerMessage(Level = LogLevel.Error, Message = MessageTemplate)]
    private static partial void LogFailed(ILogger logger, string requestMethod, string requestPath, int statusCode, double elapsedMs, string traceId);
}
