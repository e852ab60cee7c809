using System.Globalization;
using System.Net;
using Microsoft.EntityFrameworkCore;
using Portfolio.Tests.Api;
using Portfolio.Tests.Infrastructure;
using Portfolio.Web.Data;
using Portfolio.Web.Email;
using Xunit.Abstractions;

namespace Portfolio.Tests.Email;

/// <summary>
/// The app is killed (SIGKILL, as <c>kill -9</c>) in the middle of sending a queue of mail and started again
/// on the same content root and database: every mail that was queued arrives, none is lost. A mail that
/// was on the wire at the moment of the kill may arrive twice (at-least-once delivery; it keeps its
/// Message-ID, so mail clients fold the copies).
/// <para>
/// Always uses a private SMTP server, also under tests/run.sh: the test slows the server down to make
/// the kill land mid-dispatch and speeds it up for the restart, which a shared server cannot do.
/// </para>
/// </summary>
[RunsFirst]
public sealed class DispatcherCrashTests(ITestOutputHelper output)
{
    private const int Mails = 200;

    [Fact]
    public async Task AfterAKillMidDispatchAndARestartEveryQueuedMailIsDeliveredAndNoneIsLost()
    {
        await using var smtp = await SmtpTestServer.StartAsync(slow: true);
        // Slow enough that queueing all the mail (seconds, longer on a busy machine) finishes long before
        // the dispatcher does (4 at a time, 2 s each): the kill then surely lands mid-dispatch.
        await smtp.SetDelayAsync(TimeSpan.FromSeconds(2));
        await using var database = await TestDatabase.CreateAsync();
        var contentRoot = Directory.CreateTempSubdirectory("portfolio-crash-").FullName;
        var settings = Settings(database, smtp);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        try
        {
            await using (var first = await PortfolioProcess.StartAsync(contentRoot, settings))
            {
                output.WriteLine($"{clock.Elapsed.TotalSeconds:0.0} s: started");
                await QueueContactMessagesAsync(first);
                output.WriteLine($"{clock.Elapsed.TotalSeconds:0.0} s: {Mails} messages queued");
                // Let the dispatcher get going, then pull the plug while it is sending.
                await SmtpPortfolioApp.WaitUntilAsync(() => Task.FromResult(smtp.ReadAll().Count), count => count >= 5, TimeSpan.FromSeconds(120));
                // On a busy machine the dispatcher can sit between two batches for a moment, holding no lease; the
                // scenario is a kill while mails are claimed, so wait for claimed rows (each stays claimed for the
                // SMTP server's 2 s delay) and kill right then.
                await using (var watcher = OpenDatabase(database, contentRoot))
                {
                    await SmtpPortfolioApp.WaitUntilAsync(
                        () => watcher.EmailOutbox.AsNoTracking().CountAsync(row => row.Status == EmailStatus.Pending && row.LockedBy != null),
                        claimed => claimed > 0, TimeSpan.FromSeconds(120));
                }

                await first.KillAsync();
            }

            string[] messageIds;
            await using (var db = OpenDatabase(database, contentRoot))
            {
                var rows = await db.EmailOutbox.AsNoTracking().ToListAsync();
                Assert.Equal(Mails, rows.Count);
                messageIds = rows.Select(row => row.MessageId).ToArray();
                var unsent = rows.Count(row => row.Status != EmailStatus.Sent);
                var leased = rows.Count(row => row.Status == EmailStatus.Pending && row.LockedBy is not null);
                output.WriteLine($"At the kill: {Mails - unsent} sent, {unsent} not yet, {leased} of them claimed by the killed process.");
                Assert.True(unsent > 0, "The kill has to land in the middle of dispatching: every mail was already sent. Slow the SMTP server down.");
                Assert.True(leased > 0, "The kill has to land while mails are claimed (leased) by the dispatcher.");
            }

            await smtp.SetDelayAsync(TimeSpan.Zero);
            await using (var second = await PortfolioProcess.StartAsync(contentRoot, settings))
            {
                output.WriteLine($"{clock.Elapsed.TotalSeconds:0.0} s: restarted");
                await smtp.WaitForAllAsync(messageIds, TimeSpan.FromSeconds(180));
                output.WriteLine($"{clock.Elapsed.TotalSeconds:0.0} s: every mail arrived");
                await using var db = OpenDatabase(database, contentRoot);
                await SmtpPortfolioApp.WaitUntilAsync(
                    () => db.EmailOutbox.AsNoTracking().CountAsync(row => row.Status == EmailStatus.Sent),
                    sent => sent == Mails, TimeSpan.FromSeconds(60));
            }

            var arrived = smtp.CountByMessageId();
            Assert.All(messageIds, id => Assert.True(arrived.GetValueOrDefault(id) >= 1, $"{id} was lost"));
            output.WriteLine($"{messageIds.Length} mails queued, all arrived; {arrived.Values.Count(count => count > 1)} arrived twice (on the wire at the kill).");
        }
        finally
        {
            TryDelete(contentRoot);
        }
    }

    /// <summary>The same command line for both runs: real SMTP, raised limits, a short lease so the restart takes over quickly.</summary>
    private static List<string> Settings(TestDatabase database, SmtpTestServer smtp)
    {
        var settings = new List<string>
        {
            "--Email:Transport=Smtp",
            $"--Email:Smtp:Host={smtp.Host}",
            $"--Email:Smtp:Port={smtp.Port.ToString(CultureInfo.InvariantCulture)}",
            "--Email:Smtp:UseStartTls=false",
            "--Email:Dispatcher:Lease=00:00:03",
            "--Email:Dispatcher:PollInterval=00:00:01",
            "--RateLimiting:ContactWrites:PermitLimit=100000",
            "--RateLimiting:ContactWrites:WindowSeconds=1",
            "--Content:SchedulerInterval=01:00:00",
        };
        settings.AddRange(PortfolioProcess.DatabaseSettings(database));
        return settings;
    }

    private static async Task QueueContactMessagesAsync(PortfolioProcess app)
    {
        using var client = new HttpClient { BaseAddress = app.BaseAddress };
        var failures = new System.Collections.Concurrent.ConcurrentBag<string>();
        await Parallel.ForEachAsync(Enumerable.Range(0, Mails), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (n, cancellationToken) =>
        {
            var body = ApiCalls.ContactMessage($"crash test message {n}");
            body["email"] = $"crash{n}@example.com";
            var response = await client.PostAsync(ApiCalls.ContactMessages, ApiCalls.Json(body), cancellationToken);
            if (response.StatusCode != HttpStatusCode.Accepted)
            {
                failures.Add($"{n}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(cancellationToken)}");
            }
        });
        Assert.True(failures.IsEmpty, "Not every message was accepted:\n" + string.Join('\n', failures.Take(5)) + "\n" + app.Output);
    }

    private static PortfolioDbContext OpenDatabase(TestDatabase database, string contentRoot) =>
        database.IsPostgres
            ? new PostgresPortfolioDbContext(new DbContextOptionsBuilder<PostgresPortfolioDbContext>().UseNpgsql(database.ConnectionString).Options)
            : new SqlitePortfolioDbContext(new DbContextOptionsBuilder<SqlitePortfolioDbContext>()
                .UseSqlite($"Data Source={Path.Combine(contentRoot, "umbraco", "Data", "portfolio.db")};Pooling=False").Options);

    private static void TryDelete(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
            // The temp folder is cleaned by the OS eventually.
        }
    }
}
