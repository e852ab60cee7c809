using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Portfolio.Tests.Api;

namespace Portfolio.Tests.Infrastructure;

/// <summary>The app on PostgreSQL through a <see cref="TcpRelay"/> the test can cut, as a restarting server would.</summary>
public sealed class RelayedDatabaseApp : PortfolioApp
{
    public TcpRelay? Relay { get; private set; }

    protected override Task BeforeAppStartsAsync()
    {
        if (Database.IsPostgres)
        {
            Relay = TcpRelay.InFrontOfPostgres(Database.ConnectionString);
        }

        return Task.CompletedTask;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        UnthrottledPortfolioApp.RaiseRateLimits(builder);
        if (Relay is not null)
        {
            builder.UseSetting("ConnectionStrings:Portfolio", Relay.Relayed(Database.ConnectionString));
        }
    }

    protected override async Task AfterAppStoppedAsync()
    {
        if (Relay is not null)
        {
            await Relay.DisposeAsync();
        }
    }
}

/// <summary>
/// The app with its content root (the SQLite file, media, keys) on a small tmpfs of its own, which a test fills to
/// the last byte: a real full disk, not a simulated error. Mounting needs root; without it the tests say so and skip.
/// </summary>
public sealed class TinyDiskApp : PortfolioApp
{
    public string? MountProblem { get; private set; }

    protected override async Task<TestDatabase> CreateDatabaseAsync()
    {
        // Room for the sample database and a few megabytes more; the test fills the rest.
        var mount = Process.Start(new ProcessStartInfo("mount", ["-t", "tmpfs", "-o", "size=48m", "tmpfs", ContentRoot])
        {
            RedirectStandardError = true,
        })!;
        await mount.WaitForExitAsync();
        if (mount.ExitCode != 0)
        {
            MountProblem = "mount -t tmpfs failed (needs root): " + (await mount.StandardError.ReadToEndAsync()).Trim();
        }

        return await base.CreateDatabaseAsync();
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        UnthrottledPortfolioApp.RaiseRateLimits(builder);
        // The tiny disk is nearly full by design: only a refused write may make readiness fail here.
        builder.UseSetting("Health:MinimumFreeDiskMegabytes", "0");
    }

    protected override async Task AfterAppStoppedAsync()
    {
        if (MountProblem is null)
        {
            using var unmount = Process.Start("umount", ["-l", ContentRoot]);
            await unmount.WaitForExitAsync();
        }
    }
}

public sealed class DatabaseOutageTests(RelayedDatabaseApp app) : IClassFixture<RelayedDatabaseApp>
{
    [SkippableFact]
    public async Task WhilePostgresIsUnreachableWritesPagesAndReadinessSay503WithRetryAfterAndWhenItIsBackTheyWorkWithoutARestart()
    {
        Skip.IfNot(app.Database.IsPostgres, "The database server going away: PostgreSQL only (SQLite is a local file).");
        var client = app.CreatePlainClient();
        Assert.Equal(HttpStatusCode.Accepted, (await SendMessageAsync(client)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/ready")).StatusCode);

        app.Relay!.Cut();
        try
        {
            var write = await SendMessageAsync(client);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, write.StatusCode);
            Assert.Equal("5", write.Headers.GetValues("Retry-After").Single());
            Assert.Equal("application/problem+json", write.Content.Headers.ContentType?.MediaType);
            var problem = await write.Content.ReadAsStringAsync();
            Assert.Contains("briefly unavailable", problem, StringComparison.Ordinal);
            Assert.DoesNotContain("Npgsql", problem, StringComparison.OrdinalIgnoreCase);

            // A page that reads the database (the expert's free times) is the friendly error page, with the same advice.
            var page = await client.GetAsync("/team/talha/book");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, page.StatusCode);
            Assert.True(page.Headers.Contains("Retry-After"));
            Assert.Contains("briefly unavailable", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);

            var ready = await client.GetAsync("/health/ready");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
            var report = JsonNode.Parse(await ready.Content.ReadAsStringAsync())!;
            Assert.Equal("Unhealthy", report["checks"]!["database"]!["status"]!.GetValue<string>());
        }
        finally
        {
            app.Relay.Restore();
        }

        // Back: the first writes may still meet a pooled connection the outage broke (a 503 again, never a 500); within
        // seconds every write is accepted, with no restart.
        var deadline = DateTime.UtcNow.AddSeconds(10);
        HttpStatusCode status;
        do
        {
            status = (await SendMessageAsync(client)).StatusCode;
            Assert.True(status is HttpStatusCode.Accepted or HttpStatusCode.ServiceUnavailable, $"Answered {status} after the database came back.");
        }
        while (status != HttpStatusCode.Accepted && DateTime.UtcNow < deadline);

        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(HttpStatusCode.Accepted, (await SendMessageAsync(client)).StatusCode);
        }

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/ready")).StatusCode);
    }

    private static Task<HttpResponseMessage> SendMessageAsync(HttpClient client) =>
        client.PostAsync(ApiCalls.ContactMessages, ApiCalls.Json(ApiCalls.ContactMessage()));
}

/// <summary>
/// The outage again, with writes in flight when the connections drop and many at once when the database is back: the
/// failures then land in the middle of commands, and the pooled contexts and connections that saw them are reused
/// at once by other requests. Every answer is 202 or 503, never a 500, and every message answered 202 is stored.
/// </summary>
public sealed class DatabaseOutageUnderLoadTests(RelayedDatabaseApp app) : IClassFixture<RelayedDatabaseApp>
{
    private const int Concurrent = 8;

    [SkippableFact]
    public async Task WritesInFlightWhenTheConnectionsDropAnswer202Or503AndOnceTheDatabaseIsBackEveryWriteIsAccepted()
    {
        Skip.IfNot(app.Database.IsPostgres, "The database server going away: PostgreSQL only (SQLite is a local file).");
        var client = app.CreatePlainClient();
        var accepted = new List<string>();
        for (var round = 0; round < 3; round++)
        {
            // Busy: every pooled connection has run (and prepared) the write's statements.
            await SendRoundAsync(client, accepted, mustBeAccepted: true);

            var inFlight = SendRoundAsync(client, accepted, mustBeAccepted: false);
            app.Relay!.Cut();
            await inFlight;
            await SendRoundAsync(client, accepted, mustBeAccepted: false);
            app.Relay.Restore();

            // Back: the first writes may still meet a connection the cut broke (503), then every round is accepted.
            var deadline = DateTime.UtcNow.AddSeconds(15);
            while (!await SendRoundAsync(client, accepted, mustBeAccepted: false) && DateTime.UtcNow < deadline)
            {
            }

            for (var i = 0; i < 3; i++)
            {
                await SendRoundAsync(client, accepted, mustBeAccepted: true);
            }
        }

        // What was accepted was stored: each once, none lost to a command another request had changed.
        List<string> stored = [];
        await app.WithDbAsync(async db => stored = await db.ContactMessages.Select(m => m.Message).ToListAsync());
        Assert.All(accepted, marker => Assert.Single(stored, message => message.EndsWith(marker, StringComparison.Ordinal)));
    }

    /// <summary>Sends <see cref="Concurrent"/> messages at once; true when every one was accepted.</summary>
    private static async Task<bool> SendRoundAsync(HttpClient client, List<string> accepted, bool mustBeAccepted)
    {
        var markers = Enumerable.Range(0, Concurrent).Select(_ => Guid.NewGuid().ToString("N")).ToList();
        var answers = await Task.WhenAll(markers.Select(marker =>
            client.PostAsync(ApiCalls.ContactMessages, ApiCalls.Json(ApiCalls.ContactMessage(marker)))));
        for (var i = 0; i < answers.Length; i++)
        {
            var status = answers[i].StatusCode;
            Assert.True(status is HttpStatusCode.Accepted or HttpStatusCode.ServiceUnavailable, $"A write answered {status}.");
            Assert.True(!mustBeAccepted || status == HttpStatusCode.Accepted, $"A write answered {status} with the database up.");
            if (status == HttpStatusCode.Accepted)
            {
                accepted.Add(markers[i]);
            }
        }

        return answers.All(answer => answer.StatusCode == HttpStatusCode.Accepted);
    }
}

public sealed class DiskFullTests(TinyDiskApp app) : IClassFixture<TinyDiskApp>
{
    [SkippableFact]
    public async Task WhenTheDiskIsFullAWriteAnswers503AndReadinessTurnsUnhealthyAndOnceSpaceIsFreedBothRecover()
    {
        Skip.If(app.Database.IsPostgres, "The app's own disk holding the database: SQLite (PostgreSQL's disk is the server's).");
        Skip.If(app.MountProblem is not null, app.MountProblem);
        var client = app.CreatePlainClient();
        Assert.Equal(HttpStatusCode.Accepted, (await SendMessageAsync(client)).StatusCode);

        var filler = Path.Combine(app.ContentRoot, "filler.bin");
        await FillAsync(filler);
        try
        {
            // Until SQLite's pages already reserved are used up a few writes may still fit: then one is refused.
            HttpResponseMessage write;
            var sent = 0;
            do
            {
                write = await SendMessageAsync(client);
                Assert.True(write.StatusCode is HttpStatusCode.Accepted or HttpStatusCode.ServiceUnavailable, $"A write on a full disk answered {write.StatusCode}.");
            }
            while (write.StatusCode == HttpStatusCode.Accepted && ++sent < 200);

            Assert.Equal(HttpStatusCode.ServiceUnavailable, write.StatusCode);
            Assert.Equal("5", write.Headers.GetValues("Retry-After").Single());
            var ready = await client.GetAsync("/health/ready");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
            var report = JsonNode.Parse(await ready.Content.ReadAsStringAsync())!;
            Assert.Equal("Unhealthy", report["checks"]!["storage"]!["status"]!.GetValue<string>());
        }
        finally
        {
            File.Delete(filler);
        }

        Assert.Equal(HttpStatusCode.Accepted, (await SendMessageAsync(client)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/ready")).StatusCode);
    }

    /// <summary>Writes zeros until the disk refuses more.</summary>
    private static async Task FillAsync(string path)
    {
        var block = new byte[64 * 1024];
        await using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1, FileOptions.None);
        try
        {
            while (true)
            {
                await file.WriteAsync(block);
                await file.FlushAsync();
            }
        }
        catch (IOException)
        {
            // Full. Fill the last partial block too, byte by byte in small pieces.
        }

        try
        {
            while (true)
            {
                await file.WriteAsync(block.AsMemory(0, 512));
                await file.FlushAsync();
            }
        }
        catch (IOException)
        {
        }
    }

    private static Task<HttpResponseMessage> SendMessageAsync(HttpClient client) =>
        client.PostAsync(ApiCalls.ContactMessages, ApiCalls.Json(ApiCalls.ContactMessage()));
}

/// <summary>Readiness turns Degraded (still 200) when mails die or wait past the configured thresholds.</summary>
public sealed class OutboxReadinessTests(PortfolioApp app) : IClassFixture<PortfolioApp>
{
    [Fact]
    public async Task ADeadMailOrAMailQueuedTooLongMakesReadinessDegradedButStill200()
    {
        var client = app.CreatePlainClient();
        Assert.Equal("Healthy", await OutboxStatusAsync(client));

        var created = app.Clock.GetUtcNow().UtcDateTime;
        long id = 0;
        await app.WithDbAsync(async db =>
        {
            var mail = new Portfolio.Web.Email.EmailOutboxMessage
            {
                MessageId = $"<{Guid.NewGuid():N}@example.com>",
                ToAddress = "owner@example.com",
                Subject = "Queued",
                TextBody = "Waiting",
                Kind = "test",
                CreatedUtc = created,
                NextAttemptUtc = created.AddYears(1),
            };
            db.EmailOutbox.Add(mail);
            await db.SaveChangesAsync();
            id = mail.Id;
        });

        app.Clock.Advance(TimeSpan.FromMinutes(29));
        Assert.Equal("Healthy", await OutboxStatusAsync(client));
        app.Clock.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal("Degraded", await OutboxStatusAsync(client));

        await app.WithDbAsync(async db =>
        {
            var mail = await db.EmailOutbox.FindAsync(id);
            mail!.Status = Portfolio.Web.Email.EmailStatus.Dead;
            await db.SaveChangesAsync();
        });
        var ready = await client.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        var report = JsonNode.Parse(await ready.Content.ReadAsStringAsync())!;
        Assert.Equal("Degraded", report["status"]!.GetValue<string>());
        Assert.Contains("1 mail(s)", report["checks"]!["outbox"]!["description"]!.GetValue<string>(), StringComparison.Ordinal);

        await app.WithDbAsync(async db =>
        {
            db.EmailOutbox.Remove((await db.EmailOutbox.FindAsync(id))!);
            await db.SaveChangesAsync();
        });
        Assert.Equal("Healthy", await OutboxStatusAsync(client));
    }

    private static async Task<string> OutboxStatusAsync(HttpClient client)
    {
        var ready = await client.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        return JsonNode.Parse(await ready.Content.ReadAsStringAsync())!["checks"]!["outbox"]!["status"]!.GetValue<string>();
    }
}
