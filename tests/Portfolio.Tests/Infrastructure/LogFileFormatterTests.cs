using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Portfolio.Web.Infrastructure;
using Serilog;
using Serilog.Core;
using Serilog.Events;
using Serilog.Extensions.Logging;
using Serilog.Formatting.Display;

namespace Portfolio.Tests.Infrastructure;

/// <summary>The log file's hand-written request line is, character for character, what Serilog's template makes of it.</summary>
public sealed class LogFileFormatterTests
{
    [Theory]
    [InlineData("GET", "/team/talha", 200, "en-US")]
    [InlineData("HEAD", "/", 304, "de-DE")]
    [InlineData("POST", "/api/v1/contact-messages", 500, "fr-FR")]
    [InlineData("GET", "/a \"quoted\" \\ path/ünïcödé/\u0001{x}", 404, "ar-SA")]
    public async Task ARequestLineIsWrittenAsSerilogsTemplateWritesIt(string method, string path, int status, string culture)
    {
        var events = await LogRequestAsync(method, path, status);

        var previous = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo(culture);
        try
        {
            var logEvent = Assert.Single(events);
            var expected = Format(new MessageTemplateTextFormatter(LogFileFormatter.Template), logEvent);
            using var output = new StringWriter();
            Assert.True(LogFileFormatter.TryFormatRequestLine(logEvent, output), "The request line took Serilog's path.");
            var actual = output.ToString();

            Assert.Contains($" HTTP {method} ", actual, StringComparison.Ordinal);
            Assert.Contains("\"ConnectionId\":\"0HCONNECTION\"", actual, StringComparison.Ordinal);
            Assert.Equal(expected, actual);
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
        }
    }

    [Fact]
    public void OtherEventsGoThroughSerilogsTemplate()
    {
        var sink = new CollectingSink();
        using (var logger = new LoggerConfiguration().WriteTo.Sink(sink).CreateLogger())
        {
            logger.ForContext("SourceContext", "Some.Category")
                .Error(new InvalidOperationException("boom"), "Imported {Count} item(s) from {Folder} {@Extra}", 19, "/srv", new { A = 1 });
        }

        var logEvent = Assert.Single(sink.Events);
        Assert.Equal(Format(new MessageTemplateTextFormatter(LogFileFormatter.Template), logEvent), Format(new LogFileFormatter(), logEvent));
    }

    /// <summary>Runs the middleware as the app does: Microsoft.Extensions.Logging over Serilog, inside the host's request scope.</summary>
    private static async Task<IReadOnlyList<LogEvent>> LogRequestAsync(string method, string path, int status)
    {
        var sink = new CollectingSink();
        using (var serilog = new LoggerConfiguration().Enrich.FromLogContext().WriteTo.Sink(sink).CreateLogger())
        using (var factory = new SerilogLoggerFactory(serilog))
        {
            var logger = factory.CreateLogger<RequestLoggingMiddleware>();
            var middleware = new RequestLoggingMiddleware(
                context => status >= 500 ? throw new InvalidOperationException("failed") : SetStatus(context, status),
                logger);
            var context = new DefaultHttpContext { TraceIdentifier = "0HCONNECTION:00000001" };
            context.Request.Method = method;
            context.Request.Path = new PathString(path);
            using (factory.CreateLogger("Microsoft.AspNetCore.Hosting.Diagnostics").BeginScope(new Dictionary<string, object>
                   {
                       ["RequestId"] = context.TraceIdentifier,
                       ["RequestPath"] = path,
                       ["ConnectionId"] = "0HCONNECTION",
                   }))
            {
                try
                {
                    await middleware.InvokeAsync(context);
                }
                catch (InvalidOperationException) when (status >= 500)
                {
                    // The exception handler further out answers it; the line is logged either way.
                }
            }
        }

        return sink.Events;
    }

    private static Task SetStatus(HttpContext context, int status)
    {
        context.Response.StatusCode = status;
        return Task.CompletedTask;
    }

    private static string Format(Serilog.Formatting.ITextFormatter formatter, LogEvent logEvent)
    {
        using var output = new StringWriter();
        formatter.Format(logEvent, output);
        return output.ToString();
    }

    private sealed class CollectingSink : ILogEventSink
    {
        private readonly List<LogEvent> _events = [];

        public IReadOnlyList<LogEvent> Events
        {
            get
            {
                lock (_events)
                {
                    return [.. _events];
                }
            }
        }

        public void Emit(LogEvent logEvent)
        {
            lock (_events)
            {
                _events.Add(logEvent);
            }
        }
    }
}
