using Portfolio.Web.Infrastructure;
using Serilog.Events;
using Serilog.Formatting.Compact;
using Serilog.Formatting.Display;
using Serilog.Parsing;

namespace Portfolio.Tests.Infrastructure;

/// <summary>Finding 5 of issue 13: what the log's redaction of manage tokens does to one event, wherever the token is in it.</summary>
[ProviderIndependent]
public sealed class LogRedactionTests
{
    private const string Token = "Yp_9_fTxHMA6cNJeC_Rq0kqwQpSIA-3q2-7wEcR0xAb";

    [Fact]
    public void Finding05_AManageTokenLeavesAnEventsPropertiesTemplateAndException()
    {
        var logEvent = new LogEvent(DateTimeOffset.UtcNow, LogEventLevel.Error,
            new InvalidOperationException($"Could not render https://example.com/bookings/manage/{Token}?moved=1",
                new ArgumentException($"Bad argument {Token}")),
            new MessageTemplateParser().Parse($"Rendering /bookings/manage/{Token} failed for {{Arguments}}"),
            [
                new LogEventProperty("RequestPath", new ScalarValue($"/bookings/manage/{Token}")),
                new LogEventProperty("Arguments", new SequenceValue([new ScalarValue(Token), new ScalarValue(42)])),
                new LogEventProperty("RouteValues", new StructureValue([new LogEventProperty("token", new ScalarValue(Token))], "RouteValueDictionary")),
                new LogEventProperty("Headers", new DictionaryValue([
                    new(new ScalarValue("Referer"), new ScalarValue($"https://example.com/bookings/manage/{Token}")),
                ])),
                new LogEventProperty("Uri", new ScalarValue(new Uri($"https://example.com/Bookings/Manage/{Token}"))),
                new LogEventProperty("Elapsed", new ScalarValue(1.5)),
            ]);

        // The token as the request being served names it: it also stands alone in some events.
        var redacted = ManageTokenRedactingSink.Redact(logEvent, Token);

        var text = new StringWriter();
        new MessageTemplateTextFormatter(LoggingExtensions.FileTemplate).Format(redacted, text);
        new CompactJsonFormatter().Format(redacted, text);
        Assert.DoesNotContain(Token, text.ToString(), StringComparison.Ordinal);
        Assert.True(text.ToString().Contains("Rendering /bookings/manage/{token} failed for [\"{token}\",", StringComparison.Ordinal), text.ToString());
        Assert.Contains("Could not render https://example.com/bookings/manage/{token}?moved=1", text.ToString(), StringComparison.Ordinal);
        Assert.Contains("Bad argument {token}", text.ToString(), StringComparison.Ordinal);
        Assert.Equal("RouteValueDictionary", Assert.IsType<StructureValue>(redacted.Properties["RouteValues"]).TypeTag);
        Assert.Equal(1.5, Assert.IsType<ScalarValue>(redacted.Properties["Elapsed"]).Value);
        Assert.Equal(logEvent.Timestamp, redacted.Timestamp);
        Assert.Equal(logEvent.Level, redacted.Level);
    }

    [Fact]
    public void AnEventWithoutATokenPassesAsItIs()
    {
        var logEvent = new LogEvent(DateTimeOffset.UtcNow, LogEventLevel.Information, null,
            new MessageTemplateParser().Parse("HTTP {RequestMethod} {RequestPath} responded"),
            [new LogEventProperty("RequestMethod", new ScalarValue("GET")), new LogEventProperty("RequestPath", new ScalarValue("/team/talha"))]);

        Assert.Same(logEvent, ManageTokenRedactingSink.Redact(logEvent, requestToken: null));
        Assert.Same(logEvent, ManageTokenRedactingSink.Redact(logEvent, Token));
    }
}
