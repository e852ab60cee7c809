using Portfolio.Web.Booking;
using Serilog.Core;
using Serilog.Events;
using Serilog.Parsing;

namespace Portfolio.Web.Infrastructure;

/// <summary>
/// Keeps manage tokens (<see cref="ManageLinks"/>) out of the log: every event on its way to the file and the console
/// has them replaced in its properties (the hosting scope's <c>RequestPath</c> that every event of a request carries,
/// the framework's <c>Path</c>, <c>Uri</c>s, route values, handler arguments), its message template and its exception.
/// Besides links, the token of the request being served is replaced wherever it stands alone: the framework's debug
/// events name a handler's arguments and route values without the path around them.
/// </summary>
/// <remarks>
/// A sink, not an enricher: an enricher can change properties, but not an event's template or exception. It runs on the
/// logging thread, before the sinks' background queues, because the request's token is read from the current
/// <see cref="HttpContext"/>. An event without a token passes through as it is; one with a token is copied, so nothing
/// another sink holds changes under it.
/// </remarks>
internal sealed class ManageTokenRedactingSink(ILogEventSink inner, IHttpContextAccessor? requests) : ILogEventSink, IDisposable, IAsyncDisposable
{
    private static readonly MessageTemplateParser Parser = new();

    public void Emit(LogEvent logEvent) =>
        inner.Emit(Redact(logEvent, requests?.HttpContext is { } context ? ManageLinks.TokenOf(context.Request.Path) : null));

    /// <summary>The event with every manage token replaced, or the same event when it has none.</summary>
    internal static LogEvent Redact(LogEvent logEvent, string? requestToken)
    {
        Dictionary<string, LogEventPropertyValue>? properties = null;
        foreach (var (name, value) in logEvent.Properties)
        {
            var redacted = Redact(value, requestToken);
            if (!ReferenceEquals(redacted, value))
            {
                properties ??= new Dictionary<string, LogEventPropertyValue>(logEvent.Properties);
                properties[name] = redacted;
            }
        }

        // In a template the placeholder is escaped: "{token}" would be read as a property hole.
        var templateText = ManageLinks.Redact(logEvent.MessageTemplate.Text, requestToken, "{{token}}");
        var template = ReferenceEquals(templateText, logEvent.MessageTemplate.Text) ? logEvent.MessageTemplate : Parser.Parse(templateText);
        var exception = logEvent.Exception is { } thrown && ManageLinks.Contains(thrown.ToString(), requestToken)
            ? new RedactedException(thrown, requestToken)
            : logEvent.Exception;
        if (properties is null && ReferenceEquals(template, logEvent.MessageTemplate) && ReferenceEquals(exception, logEvent.Exception))
        {
            return logEvent;
        }

        return new LogEvent(logEvent.Timestamp, logEvent.Level, exception, template,
            (properties ?? logEvent.Properties).Select(property => new LogEventProperty(property.Key, property.Value)),
            logEvent.TraceId ?? default, logEvent.SpanId ?? default);
    }

    private static LogEventPropertyValue Redact(LogEventPropertyValue value, string? requestToken)
    {
        switch (value)
        {
            case ScalarValue { Value: string text }:
                var redacted = ManageLinks.Redact(text, requestToken);
                return ReferenceEquals(redacted, text) ? value : new ScalarValue(redacted);
            case ScalarValue { Value: Uri uri }:
                var address = uri.ToString();
                return ManageLinks.Contains(address, requestToken) ? new ScalarValue(ManageLinks.Redact(address, requestToken)) : value;
            case SequenceValue sequence:
                var elements = RedactAll(sequence.Elements, requestToken);
                return elements is null ? value : new SequenceValue(elements);
            case StructureValue structure:
                var values = RedactAll(structure.Properties.Select(property => property.Value).ToList(), requestToken);
                return values is null
                    ? value
                    : new StructureValue(structure.Properties.Select((property, i) => new LogEventProperty(property.Name, values[i])), structure.TypeTag);
            case DictionaryValue dictionary:
                var entries = dictionary.Elements.ToList();
                var keys = RedactAll(entries.Select(entry => (LogEventPropertyValue)entry.Key).ToList(), requestToken);
                var items = RedactAll(entries.Select(entry => entry.Value).ToList(), requestToken);
                return keys is null && items is null
                    ? value
                    : new DictionaryValue(entries.Select((entry, i) => new KeyValuePair<ScalarValue, LogEventPropertyValue>(
                        (ScalarValue)(keys?[i] ?? entry.Key), items?[i] ?? entry.Value)));
            default:
                return value;
        }
    }

    /// <summary>The values with tokens replaced, or null when none had one.</summary>
    private static List<LogEventPropertyValue>? RedactAll(IReadOnlyList<LogEventPropertyValue> values, string? requestToken)
    {
        List<LogEventPropertyValue>? redacted = null;
        for (var i = 0; i < values.Count; i++)
        {
            var value = Redact(values[i], requestToken);
            if (!ReferenceEquals(value, values[i]))
            {
                redacted ??= [.. values];
                redacted[i] = value;
            }
        }

        return redacted;
    }

    public void Dispose() => (inner as IDisposable)?.Dispose();

    public ValueTask DisposeAsync()
    {
        if (inner is IAsyncDisposable asyncDisposable)
        {
            return asyncDisposable.DisposeAsync();
        }

        Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// Stands in for an exception whose text held a token: the formatters write <see cref="ToString"/> (type, message,
    /// inner exceptions, stack), which is the original's with the tokens replaced.
    /// </summary>
    private sealed class RedactedException(Exception original, string? requestToken)
        : Exception(ManageLinks.Redact(original.Message, requestToken))
    {
        private readonly string _text = ManageLinks.Redact(original.ToString(), requestToken);

        public override string ToString() => _text;
    }
}
