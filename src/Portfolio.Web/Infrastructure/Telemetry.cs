using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Reflection;
using Npgsql;
using Portfolio.Web.Booking;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Portfolio.Web.Infrastructure;

public static class TelemetryExtensions
{
    /// <summary>The standard variable of the OTLP exporter: without it no part of OpenTelemetry is registered.</summary>
    public const string OtlpEndpointKey = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>The service name when <c>OTEL_SERVICE_NAME</c> does not set one.</summary>
    public const string DefaultServiceName = "portfolio-web";

    /// <summary>
    /// Traces and metrics over OTLP, as eShop's ServiceDefaults <c>ConfigureOpenTelemetry</c> sets them up: requests,
    /// outgoing HTTP, EF Core and Npgsql commands, the runtime, and the site's own <see cref="PortfolioMetrics"/>.
    /// The exporter, its resource and its pipelines read the standard variables (<c>OTEL_EXPORTER_OTLP_ENDPOINT</c>,
    /// <c>_PROTOCOL</c>, <c>_HEADERS</c>, <c>OTEL_SERVICE_NAME</c>, <c>OTEL_RESOURCE_ATTRIBUTES</c>,
    /// <c>OTEL_METRIC_EXPORT_INTERVAL</c>, <c>OTEL_BSP_*</c>, <c>OTEL_TRACES_SAMPLER</c>, …) from configuration,
    /// so they may also come from appsettings or the command line. The per-signal variants
    /// (<c>OTEL_EXPORTER_OTLP_TRACES_ENDPOINT</c>, …) are not read: each signal's <c>AddOtlpExporter</c> reads the
    /// shared ones; <c>UseOtlpExporter</c>, which reads both, would also turn on a log exporter (logs stay with Serilog).
    /// </summary>
    /// <remarks>
    /// Without an endpoint nothing is registered: no meter or activity listener exists, so the instruments and
    /// activity sources (ours, ASP.NET Core's, EF Core's, Npgsql's) stay disabled and cost a check of an empty
    /// subscriber list. Logs stay with Serilog.
    /// </remarks>
    public static WebApplicationBuilder AddPortfolioTelemetry(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<PortfolioMetrics>();
        if (string.IsNullOrWhiteSpace(builder.Configuration[OtlpEndpointKey]))
        {
            return builder;
        }

        // The exporter takes "collector:4317" for a URL with the scheme "collector" and then sends nothing, silently.
        builder.Services.AddOptions<OtlpEndpointCheck>()
            .Configure<IConfiguration>((check, configuration) => check.Endpoint = configuration[OtlpEndpointKey])
            .Validate(check => Uri.TryCreate(check.Endpoint, UriKind.Absolute, out var url) && url.Scheme is "http" or "https",
                $"{OtlpEndpointKey} must be an http:// or https:// URL, such as http://collector:4317.")
            .ValidateOnStart();

        var version = typeof(TelemetryExtensions).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource
                .AddService(DefaultServiceName, serviceVersion: version)
                // Again after AddService, which would otherwise override OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES.
                .AddEnvironmentVariableDetector())
            .WithTracing(tracing =>
            {
                tracing
                    // Health probes come every few seconds from the orchestrator and say nothing about the site.
                    .AddAspNetCoreInstrumentation(options =>
                    {
                        options.Filter = context => !context.Request.Path.StartsWithSegments("/health");
                        // A manage link's token is a bearer secret: the span keeps the route (http.route has the
                        // template already), not the token. Enrichment runs after the instrumentation set url.path.
                        options.EnrichWithHttpRequest = (activity, request) =>
                        {
                            var path = ManageLinks.RedactPath(request.Path);
                            if (!ReferenceEquals(path, request.Path.Value))
                            {
                                activity.SetTag("url.path", request.PathBase.Add(path).Value);
                            }
                        };
                    })
                    // A calendar feed's URL is a secret (BusyCalendarFetcher): its requests make no spans.
                    .AddHttpClientInstrumentation(options => options.FilterHttpRequestMessage = request => !BusyCalendarFetcher.IsFeedRequest(request))
                    // SQLite's commands through EF Core; PostgreSQL's come from Npgsql itself, which would trace each twice.
                    .AddEntityFrameworkCoreInstrumentation(options => options.Filter = (provider, _) => provider != NpgsqlEfProvider)
                    .AddNpgsql()
                    .AddSource(PortfolioTelemetry.ActivitySourceName)
                    .AddOtlpExporter();
                if (string.IsNullOrWhiteSpace(builder.Configuration["OTEL_TRACES_SAMPLER"]))
                {
                    tracing.SetSampler(new ParentBasedSampler(new NoLoneClientSpansSampler()));
                }
            })
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation() // also aspnetcore.rate_limiting.requests: rejections by policy and limiter
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddNpgsqlInstrumentation()
                .AddMeter("Microsoft.EntityFrameworkCore")
                .AddMeter(PortfolioMetrics.MeterName)
                .AddOtlpExporter());
        return builder;
    }

    private sealed class OtlpEndpointCheck
    {
        public string? Endpoint { get; set; }
    }

    private const string NpgsqlEfProvider = "Npgsql.EntityFrameworkCore.PostgreSQL";

    /// <summary>
    /// Drops a trace that would be one outgoing call alone (a database command, an HTTP request) with no request or
    /// traced job around it: the mail dispatcher polls every 5 s, so each instance would send some 17,000 one-span
    /// traces a day that bury the ones worth reading. Everything under a request or a mail send is kept.
    /// <c>OTEL_TRACES_SAMPLER</c>, when set, replaces this.
    /// </summary>
    private sealed class NoLoneClientSpansSampler : Sampler
    {
        public override SamplingResult ShouldSample(in SamplingParameters samplingParameters) =>
            new(samplingParameters.Kind == ActivityKind.Client ? SamplingDecision.Drop : SamplingDecision.RecordAndSample);
    }
}

/// <summary>The site's own spans: work that no request carries, such as sending a mail.</summary>
public static class PortfolioTelemetry
{
    public const string ActivitySourceName = "Portfolio";

    /// <summary>Starts nothing (returns null) unless a tracer provider listens: never without an OTLP endpoint.</summary>
    public static readonly ActivitySource ActivitySource = new(ActivitySourceName);
}

/// <summary>Outcomes of one attempt to send a mail, as <c>portfolio.mail.outcome</c> reports them.</summary>
public enum MailOutcome
{
    Sent,
    /// <summary>The attempt failed and the mail will be tried again.</summary>
    Failed,
    /// <summary>The last allowed attempt failed: the mail is dead.</summary>
    Dead,
}

/// <summary>
/// The site's own measurements, on the <c>Portfolio</c> meter: what clients did (bookings, contact messages) and how
/// the mail outbox keeps up. Always registered, so the services call it unconditionally: until an OpenTelemetry meter
/// provider listens (only with an OTLP endpoint) an instrument's Add is a check of an empty subscriber list.
/// </summary>
public sealed class PortfolioMetrics
{
    public const string MeterName = "Portfolio";

    /// <summary>
    /// The outbox gauges' figures are read by the dispatcher, not in the gauges' callbacks: those run on the exporter's
    /// thread at each collection, where a query could only block. The dispatcher reads them on its own loop,
    /// asynchronously, at most this often, and only while a listener wants them.
    /// </summary>
    internal static readonly TimeSpan OutboxFiguresInterval = TimeSpan.FromSeconds(15);

    private readonly TimeProvider _clock;
    private readonly Counter<long> _bookingsCreated;
    private readonly Counter<long> _contactMessagesStored;
    private readonly Counter<long> _mailAttempts;
    private readonly ObservableGauge<long> _mailsQueued;
    private OutboxFigures? _outbox;
    // One interval before the first possible tick count (they start at 0), so the first look is always due.
    private long _outboxReadAt = -(long)OutboxFiguresInterval.TotalMilliseconds;

    public PortfolioMetrics(IMeterFactory meters, TimeProvider clock)
    {
        _clock = clock;
        var meter = meters.Create(MeterName);
        _bookingsCreated = meter.CreateCounter<long>("portfolio.bookings.created", "{booking}", "Bookings confirmed for clients.");
        _contactMessagesStored = meter.CreateCounter<long>("portfolio.contact_messages.stored", "{message}",
            "Contact messages stored, suspected spam included (portfolio.contact_message.spam); a resent duplicate is not counted.");
        _mailAttempts = meter.CreateCounter<long>("portfolio.mails.attempts", "{attempt}",
            "Attempts to send a mail, by outcome: sent, failed (tried again later) or dead (the last attempt failed).");
        // Gauges, not up-down counters: every dispatching instance reports the same shared queue, so the figures
        // must not be added up across instances. Only instances that run the dispatcher report them.
        _mailsQueued = meter.CreateObservableGauge("portfolio.mails.queued", ObserveQueued, "{mail}",
            "Mails waiting in the outbox, those waiting for a retry included, as the dispatcher last counted them (every 15 s or so).");
        meter.CreateObservableGauge("portfolio.mails.oldest_queued_age", ObserveOldestAge, "s",
            "How long the oldest mail still in the outbox has been waiting; 0 when none is.");
    }

    public void BookingCreated() => _bookingsCreated.Add(1);

    /// <param name="source"><c>api</c> or <c>form</c>.</param>
    /// <param name="spam">Held as suspected spam: stored, not mailed to the owner.</param>
    public void ContactMessageStored(string source, bool spam)
    {
        // Measured (Stopwatch, 20 million calls): with no listener an Add with two tags took 22 ns, boxing the flag
        // and walking the tags; behind the Enabled check, 1.2 ns. Listened to by the SDK, about 150 ns.
        if (_contactMessagesStored.Enabled)
        {
            _contactMessagesStored.Add(1,
                new KeyValuePair<string, object?>("portfolio.contact_message.source", source),
                new KeyValuePair<string, object?>("portfolio.contact_message.spam", spam));
        }
    }

    public void MailAttempted(string kind, MailOutcome outcome)
    {
        if (_mailAttempts.Enabled)
        {
            _mailAttempts.Add(1,
                new KeyValuePair<string, object?>("portfolio.mail.kind", kind),
                new KeyValuePair<string, object?>("portfolio.mail.outcome", OutcomeName(outcome)));
        }
    }

    /// <summary>
    /// Whether the dispatcher should read the outbox figures now: someone listens to the gauges, and the dispatcher has
    /// just moved mail (<paramref name="queueChanged"/>: the figures it holds are stale) or they are older than
    /// <see cref="OutboxFiguresInterval"/> (in real time: this limits database work, whatever the clock says). Only with a
    /// listener, i.e. with an OTLP endpoint, does a batch cost the two counting queries.
    /// </summary>
    public bool OutboxFiguresWanted(bool queueChanged) =>
        _mailsQueued.Enabled
        && (queueChanged || Environment.TickCount64 - Interlocked.Read(ref _outboxReadAt) >= (long)OutboxFiguresInterval.TotalMilliseconds);

    /// <summary>What the dispatcher found in the outbox: how many mails wait, and since when the oldest one does.</summary>
    public void RecordOutbox(long queued, DateTime? oldestCreatedUtc)
    {
        Volatile.Write(ref _outbox, new OutboxFigures(queued, oldestCreatedUtc));
        Interlocked.Exchange(ref _outboxReadAt, Environment.TickCount64);
    }

    private sealed record OutboxFigures(long Queued, DateTime? OldestCreatedUtc);

    private IEnumerable<Measurement<long>> ObserveQueued() =>
        Volatile.Read(ref _outbox) is { } figures ? [new Measurement<long>(figures.Queued)] : [];

    /// <summary>The age runs on between the dispatcher's looks, so a dispatcher that stops looking shows as a growing age.</summary>
    private IEnumerable<Measurement<double>> ObserveOldestAge()
    {
        if (Volatile.Read(ref _outbox) is not { } figures)
        {
            return [];
        }

        var age = figures.OldestCreatedUtc is { } oldest ? Math.Max(0, (_clock.GetUtcNow().UtcDateTime - oldest).TotalSeconds) : 0;
        return [new Measurement<double>(age)];
    }

    private static string OutcomeName(MailOutcome outcome) => outcome switch
    {
        MailOutcome.Sent => "sent",
        MailOutcome.Failed => "failed",
        _ => "dead",
    };
}
