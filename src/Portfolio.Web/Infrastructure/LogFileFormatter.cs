using System.Globalization;
using Serilog.Events;
using Serilog.Formatting;
using Serilog.Formatting.Display;
using Serilog.Formatting.Json;

namespace Portfolio.Web.Infrastructure;

/// <summary>
/// The log file's line format, <see cref="Template"/>. Serilog's template formatter interprets the template for
/// every event (tokens, property look-ups, working out which properties the message already shows), which perf
/// put at a quarter of the per-request log line's cost. The one-per-request line of
/// <see cref="RequestLoggingMiddleware"/> has a fixed shape, so it is written here directly; every other event,
/// and a request line that does not have the expected shape, goes through Serilog's formatter. Both give the
/// same text (LogFileFormatterTests compares them).
/// </summary>
public sealed class LogFileFormatter : ITextFormatter
{
    public const string Template = "{Timestamp:yyyy-MM-dd HH:mm:ss.fff zzz} [{Level:u3}] {SourceContext} {Message:lj} {Properties:j}{NewLine}{Exception}";

    private const string TimestampFormat = "yyyy-MM-dd HH:mm:ss.fff zzz";

    // {Properties:j} leaves out what the line already shows: the request line's message and the template's own names.
    private static readonly HashSet<string> ShownProperties =
    [
        "RequestMethod", "RequestPath", "StatusCode", "ElapsedMs", "TraceId",
        "Timestamp", "Level", "SourceContext", "Message", "Properties", "NewLine", "Exception",
    ];

    private static readonly JsonValueFormatter Json = new(typeTagName: "$type");

    private readonly MessageTemplateTextFormatter _general = new(Template);

    public void Format(LogEvent logEvent, TextWriter output)
    {
        if (!TryFormatRequestLine(logEvent, output))
        {
            _general.Format(logEvent, output);
        }
    }

    /// <summary>Writes a request line of the expected shape; false (and nothing written) for anything else.</summary>
    internal static bool TryFormatRequestLine(LogEvent logEvent, TextWriter output)
    {
        var properties = logEvent.Properties;
        if (logEvent.Exception is not null
            || logEvent.MessageTemplate.Text != RequestLoggingMiddleware.MessageTemplate
            || !properties.TryGetValue("SourceContext", out var source) || source is not ScalarValue { Value: string sourceContext }
            || !properties.TryGetValue("RequestMethod", out var method) || method is not ScalarValue { Value: string requestMethod }
            || !properties.TryGetValue("RequestPath", out var path) || path is not ScalarValue { Value: string requestPath }
            || !properties.TryGetValue("StatusCode", out var status) || status is not ScalarValue { Value: int }
            || !properties.TryGetValue("ElapsedMs", out var elapsed) || elapsed is not ScalarValue { Value: double }
            || !properties.TryGetValue("TraceId", out var trace) || trace is not ScalarValue { Value: string traceId }
            || Level(logEvent.Level) is not { } level)
        {
            return false;
        }

        // Serilog formats values without a format provider in the invariant culture.
        Span<char> timestamp = stackalloc char[40];
        if (!logEvent.Timestamp.TryFormat(timestamp, out var written, TimestampFormat, CultureInfo.InvariantCulture))
        {
            return false;
        }

        output.Write(timestamp[..written]);
        output.Write(" [");
        output.Write(level);
        output.Write("] ");
        output.Write(sourceContext);
        // "HTTP {RequestMethod} {RequestPath} responded {StatusCode} in {ElapsedMs:0.000} ms ({TraceId})" as :lj
        // renders it: strings as they are, a value without a format as JSON, a formatted value with its format.
        output.Write(" HTTP ");
        output.Write(requestMethod);
        output.Write(' ');
        output.Write(requestPath);
        output.Write(" responded ");
        Json.Format(status, output);
        output.Write(" in ");
        elapsed.Render(output, "0.000");
        output.Write(" ms (");
        output.Write(traceId);
        output.Write(") ");
        WriteOtherProperties(properties, output);
        output.Write(Environment.NewLine);
        return true;
    }

    /// <summary>{Properties:j}: the properties neither the message nor the line template shows, as a JSON object.</summary>
    private static void WriteOtherProperties(IReadOnlyDictionary<string, LogEventPropertyValue> properties, TextWriter output)
    {
        output.Write('{');
        var first = true;
        foreach (var (name, value) in properties)
        {
            if (ShownProperties.Contains(name))
            {
                continue;
            }

            if (!first)
            {
                output.Write(',');
            }

            first = false;
            JsonValueFormatter.WriteQuotedJsonString(name, output);
            output.Write(':');
            Json.Format(value, output);
        }

        output.Write('}');
    }

    private static string? Level(LogEventLevel level) => level switch
    {
        LogEventLevel.Information => "INF",
        LogEventLevel.Error => "ERR",
        _ => null,
    };
}
