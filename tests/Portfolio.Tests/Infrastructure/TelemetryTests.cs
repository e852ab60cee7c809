using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Portfolio.Tests.Api;
using Portfolio.Web.Infrastructure;

namespace Portfolio.Tests.Infrastructure;

/// <summary>
/// The app as its own process, configured by the standard OTEL_* environment variables as an operator sets them, with
/// short export intervals, exporting to an <see cref="OtlpReceiver"/>. A process of its own because OpenTelemetry's
/// listeners are process-wide (in the test process they would measure every other test's app) and its EF Core
/// instrumentation is a process-wide singleton that a second tracer provider in the same process does not get back.
/// </summary>
public class OtlpPortfolioProcess : IAsyncLifetime
{
    private TestDatabase? _database;
    private OtlpReceiver? _receiver;
    private PortfolioProcess? _app;
    private readonly string _contentRoot = Directory.CreateTempSubdirectory("portfolio-otlp-").FullName;

    public OtlpReceiver Receiver => _receiver ?? throw new InvalidOperationException("InitializeAsync has not run.");

    public HttpClient CreateClient() => new() { BaseAddress = (_app ?? throw new InvalidOperationException("InitializeAsync has not run.")).BaseAddress };

    /// <summary>Null: leave OTEL_EXPORTER_OTLP_PROTOCOL unset, so the exporter uses its default (gRPC).</summary>
    protected virtual string? Protocol => "http/protobuf";

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync();
        _receiver = await OtlpReceiver.StartAsync(grpc: Protocol is null);
        var environment = new Dictionary<string, string>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = _receiver.Endpoint,
            ["OTEL_SERVICE_NAME"] = "portfolio-under-test",
            ["OTEL_RESOURCE_ATTRIBUTES"] = "deployment.environment.name=otlp-test-run",
            ["OTEL_METRIC_EXPORT_INTERVAL"] = "300",
            ["OTEL_BSP_SCHEDULE_DELAY"] = "100",
        };
        if (Protocol is not null)
        {
            environment["OTEL_EXPORTER_OTLP_PROTOCOL"] = Protocol;
        }

        _app = await PortfolioProcess.StartAsync(_contentRoot,
            [.. PortfolioProcess.DatabaseSettings(_database), "--RateLimiting:ContactWrites:PermitLimit=2"], environment);
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        if (_receiver is not null)
        {
            await _receiver.DisposeAsync();
        }

        if (_database is not null)
        {
            await _database.DisposeAsync();
        }

        try
        {
            Directory.Delete(_contentRoot, recursive: true);
        }
        catch (IOException)
        {
            // The temp folder is cleaned by the OS eventually.
        }
    }
}

/// <summary>The exporter's default protocol: only the endpoint is set, as an operator pointing it at a collector's port 4317 would.</summary>
public sealed class OtlpGrpcPortfolioProcess : OtlpPortfolioProcess
{
    protected override string? Protocol => null;
}

public sealed class TelemetryExportTests(OtlpPortfolioProcess app) : IClassFixture<OtlpPortfolioProcess>
{
    [Fact]
    public async Task ABookingRequestArrivesAsATraceWithItsDatabaseCommandsAndTheMailsItQueued()
    {
        using var client = app.CreateClient();

        var booked = await client.PostAsync(ApiCalls.Bookings, ApiCalls.Json(await NextFreeBookingAsync(client)));

        Assert.Equal(HttpStatusCode.Created, booked.StatusCode);
        await app.Receiver.WaitForAsync("traces",
            "POST /api/v1/bookings", // the request's span, named by its route
            "portfolio-under-test", "otlp-test-run", // OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES
            "INSERT INTO \"Bookings\"", // the database command, through EF Core (SQLite) or Npgsql (PostgreSQL)
            "send mail", "booking-confirmation"); // the dispatcher's span for the confirmation it sent
        // The mails were claimed before they were sent, by a query that no request or send carries: not a trace of its own.
        Assert.False(app.Receiver.HasReceived("traces", "ORDER BY \"NextAttemptUtc\""), "The dispatcher's claim query was exported as a trace.");
    }

    [Fact]
    public async Task BookingsMessagesMailsAndRefusedRequestsAreCountedInTheExportedMetrics()
    {
        using var client = app.CreateClient();
        // The limit is two contact messages: the third is refused.
        var contact = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            contact.Add((await client.PostAsync(ApiCalls.ContactMessages, ApiCalls.Json(ApiCalls.ContactMessage()))).StatusCode);
        }

        var booked = await client.PostAsync(ApiCalls.Bookings, ApiCalls.Json(await NextFreeBookingAsync(client)));

        Assert.Equal([HttpStatusCode.Accepted, HttpStatusCode.Accepted, HttpStatusCode.TooManyRequests], contact);
        Assert.Equal(HttpStatusCode.Created, booked.StatusCode);
        await app.Receiver.WaitForAsync("metrics",
            "portfolio.bookings.created",
            "portfolio.contact_messages.stored", "portfolio.contact_message.source",
            "portfolio.mails.attempts", "portfolio.mail.outcome", "sent",
            "portfolio.mails.queued", "portfolio.mails.oldest_queued_age",
            "aspnetcore.rate_limiting.requests", "endpoint_limiter", RateLimitingExtensions.ContactWrites,
            "http.server.request.duration", "/api/v1/bookings", // ASP.NET Core's own, with the route
            "portfolio-under-test");
    }

    /// <summary>Finding 5 of issue 13: a manage page's span names its route and its path without the booking's token.</summary>
    [Fact]
    public async Task Finding05_AManagePagesSpanCarriesNoManageToken()
    {
        using var client = app.CreateClient();
        var booked = await client.PostAsync(ApiCalls.Bookings, ApiCalls.Json(await NextFreeBookingAsync(client)));
        var manageUrl = (await booked.Content.ReadFromJsonAsync<BookingAnswer>())!.ManageUrl;
        var token = manageUrl[(manageUrl.LastIndexOf('/') + 1)..];

        var page = await client.GetAsync(new Uri(manageUrl).PathAndQuery);

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        // url.path, redacted (the span's name has the route's template, with its constraints).
        await app.Receiver.WaitForAsync("traces", "/bookings/manage/{token}");
        Assert.False(app.Receiver.HasReceived("traces", token), "A span carried the manage token.");
    }

    private static async Task<JsonObject> NextFreeBookingAsync(HttpClient client) =>
        ApiCalls.Booking((await ApiCalls.FreeSlotsAsync(client, "talha", DateTime.UtcNow.AddDays(2).ToString("yyyy-MM-dd"), 28))[0].Start);
}

public sealed class TelemetryGrpcExportTests(OtlpGrpcPortfolioProcess app) : IClassFixture<OtlpGrpcPortfolioProcess>
{
    [Fact]
    public async Task WithOnlyTheEndpointSetTracesAndMetricsGoOverGrpc()
    {
        using var client = app.CreateClient();

        var response = await client.GetAsync(ApiCalls.Slots("talha"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await app.Receiver.WaitForAsync("traces", "GET /api/v1/experts/{slug}/slots");
        await app.Receiver.WaitForAsync("metrics", "http.server.request.duration", "/api/v1/experts/{slug}/slots");
    }
}

public sealed class TelemetryDisabledTests(PortfolioApp app) : IClassFixture<PortfolioApp>
{
    [Fact]
    public async Task WithoutAnEndpointNoOpenTelemetryIsRegisteredAndNothingListensToTheSitesInstruments()
    {
        var response = await app.CreateClient().PostAsync(ApiCalls.ContactMessages, ApiCalls.Json(ApiCalls.ContactMessage()));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Null(app.Services.GetService<TracerProvider>());
        Assert.Null(app.Services.GetService<MeterProvider>());
        Assert.False(PortfolioTelemetry.ActivitySource.HasListeners());
        // Whether anything listens to the outbox gauges (and so whether the dispatcher counts the outbox) is not asserted
        // here: an OpenTelemetry MeterProvider listens to every meter of its name in the process, so another test's app
        // with an endpoint would turn this app's instruments on too. Without an endpoint no provider exists (above).
    }
}

/// <summary>An endpoint without a scheme, as an operator might write a collector's address.</summary>
public sealed class UnusableOtlpEndpointPortfolioApp : PortfolioApp
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("OTEL_EXPORTER_OTLP_ENDPOINT", "collector:4317");
    }
}

public sealed class TelemetryConfigurationTests
{
    [Fact]
    public async Task AnEndpointThatIsNotAnHttpUrlStopsTheStartWithAnErrorNamingTheSetting()
    {
        IAsyncLifetime app = new UnusableOtlpEndpointPortfolioApp();
        try
        {
            var error = await Assert.ThrowsAnyAsync<Exception>(app.InitializeAsync);
            Assert.Contains("OTEL_EXPORTER_OTLP_ENDPOINT must be an http:// or https:// URL", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            await app.DisposeAsync();
        }
    }
}
