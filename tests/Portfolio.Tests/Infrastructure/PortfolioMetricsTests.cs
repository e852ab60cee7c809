using System.Diagnostics.Metrics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Portfolio.Tests.Api;
using Portfolio.Tests.Email;
using Portfolio.Web.Email;

namespace Portfolio.Tests.Infrastructure;

/// <summary>
/// The figures on the site's own meter, read with the runtime's <see cref="MeterListener"/> (what the OpenTelemetry SDK
/// builds on). The listener takes only the meters of this test's app (their scope is its meter factory), not those of
/// the other apps running in the same test process.
/// </summary>
public sealed class PortfolioMetricsTests(SwitchableSmtpPortfolioApp app) : IClassFixture<SwitchableSmtpPortfolioApp>, IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly List<(string Instrument, double Value, Dictionary<string, object?> Tags)> _measurements = [];

    [Fact]
    public async Task FailedAndDeadAttemptsAreCountedByOutcomeAndTheGaugesShowTheQueueAndItsOldestMailsAge()
    {
        Listen();
        app.PointAtClosedPort();
        var body = ApiCalls.ContactMessage();
        body["email"] = "metrics@example.com";

        var response = await app.CreateClient().PostAsync(ApiCalls.ContactMessages, ApiCalls.Json(body));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(1, Total("portfolio.contact_messages.stored", ("portfolio.contact_message.source", "api"), ("portfolio.contact_message.spam", false)));
        // The dispatcher, woken by the commit, tried once, failed, and then counted the outbox.
        var mail = await SmtpPortfolioApp.WaitUntilAsync(async () => Assert.Single(await app.MailsAboutAsync("metrics@example.com")),
            mail => mail.Attempts == 1 && mail.LockedBy is null);
        await SmtpPortfolioApp.WaitUntilAsync(() => Task.FromResult(Total("portfolio.mails.attempts")), total => total == 1);
        Assert.Equal(1, Total("portfolio.mails.attempts", ("portfolio.mail.outcome", "failed"), ("portfolio.mail.kind", "contact-notification")));

        await SmtpPortfolioApp.WaitUntilAsync(() => Task.FromResult(Observed("portfolio.mails.queued")), value => value is not null);
        app.Clock.Set(new DateTimeOffset(mail.CreatedUtc.AddSeconds(90), TimeSpan.Zero));
        Assert.Equal(1, Observed("portfolio.mails.queued"));
        Assert.Equal(90, Observed("portfolio.mails.oldest_queued_age"));

        // The remaining attempts: the last one makes the mail dead.
        for (var attempt = 2; attempt <= SwitchableSmtpPortfolioApp.MaxAttempts; attempt++)
        {
            mail = Assert.Single(await app.MailsAboutAsync("metrics@example.com"));
            app.Clock.Set(new DateTimeOffset(mail.NextAttemptUtc.AddSeconds(1), TimeSpan.Zero));
            await app.Dispatcher.DispatchDueAsync(CancellationToken.None);
        }

        Assert.Equal(SwitchableSmtpPortfolioApp.MaxAttempts - 1, Total("portfolio.mails.attempts", ("portfolio.mail.outcome", "failed")));
        Assert.Equal(1, Total("portfolio.mails.attempts", ("portfolio.mail.outcome", "dead")));
        Assert.Equal(0, Total("portfolio.mails.attempts", ("portfolio.mail.outcome", "sent")));
    }

    private void Listen()
    {
        var meters = app.Services.GetRequiredService<IMeterFactory>();
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Scope == meters && instrument.Meter.Name == Portfolio.Web.Infrastructure.PortfolioMetrics.MeterName)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.Start();
    }

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var copied = new Dictionary<string, object?>();
        foreach (var (key, tagValue) in tags)
        {
            copied[key] = tagValue;
        }

        lock (_measurements)
        {
            _measurements.Add((instrument.Name, value, copied));
        }
    }

    private double Total(string instrument, params (string Key, object Value)[] tags)
    {
        lock (_measurements)
        {
            return _measurements
                .Where(m => m.Instrument == instrument && tags.All(tag => m.Tags.TryGetValue(tag.Key, out var value) && Equals(value, tag.Value)))
                .Sum(m => m.Value);
        }
    }

    /// <summary>What the observable instrument reports now (the figures are the dispatcher's last count), or null.</summary>
    private double? Observed(string instrument)
    {
        lock (_measurements)
        {
            _measurements.RemoveAll(m => m.Instrument == instrument);
        }

        _listener.RecordObservableInstruments();
        lock (_measurements)
        {
            var found = _measurements.FindLast(m => m.Instrument == instrument);
            return found.Instrument is null ? null : found.Value;
        }
    }

    public void Dispose() => _listener.Dispose();
}
