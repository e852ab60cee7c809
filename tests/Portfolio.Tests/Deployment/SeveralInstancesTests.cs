using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portfolio.Tests.Infrastructure;
using Portfolio.TestSupport;
using Portfolio.Web.Content;
using Portfolio.Web.Data;
using Portfolio.Web.Infrastructure;
using Portfolio.Web.Media;

namespace Portfolio.Tests.Deployment;

/// <summary>
/// The app with an older install's key files in its content root (data-protection key ring and share-card key), as
/// the version before the keys moved into the database left them.
/// </summary>
public sealed class UpgradedPortfolioApp : PortfolioApp
{
    public static readonly byte[] OldShareCardKey = Enumerable.Range(1, 32).Select(value => (byte)value).ToArray();

    /// <summary>A database of its own, made by this start: no shared keys in it yet, as before the upgrade.</summary>
    protected override bool ImportSampleContent => false;

    /// <summary>What the old key ring protected before the upgrade.</summary>
    public string ProtectedBeforeUpgrade { get; private set; } = "";

    protected override Task BeforeAppStartsAsync()
    {
        var data = Path.Combine(ContentRoot, "umbraco", "Data");
        var keys = Directory.CreateDirectory(Path.Combine(data, "keys"));
        // The same setup the app had before: application name "Portfolio", keys as files in umbraco/Data/keys.
        var old = DataProtectionProvider.Create(keys, setup => setup.SetApplicationName("Portfolio"));
        ProtectedBeforeUpgrade = old.CreateProtector("Upgrade.Test").Protect("signed in before the upgrade");
        File.WriteAllBytes(Path.Combine(data, "share-card.key"), OldShareCardKey);
        return Task.CompletedTask;
    }
}

/// <summary>A second instance of the app on the first one's database, with a content root of its own.</summary>
public sealed class SecondInstance(PortfolioApp first, TimeSpan changeCheckInterval) : WebApplicationFactory<Program>
{
    private readonly string _contentRoot = Directory.CreateTempSubdirectory("portfolio-second-").FullName;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseContentRoot(_contentRoot);
        builder.UseEnvironment("Testing");
        builder.UseSetting("Database:Provider", first.Database.Provider);
        builder.UseSetting("ConnectionStrings:Portfolio",
            first.Database.ConnectionString ?? $"Data Source={TestDatabase.SqliteFile(first.ContentRoot)};Pooling=True");
        builder.UseSetting("Database:ChangeCheckInterval", changeCheckInterval.ToString());
        builder.UseSetting("Content:SchedulerInterval", "01:00:00");
        builder.UseSetting("Serilog:MinimumLevel:Default", "Warning");
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        try
        {
            Directory.Delete(_contentRoot, recursive: true);
        }
        catch (IOException)
        {
            // A log file may still be open for a moment; the temp folder is cleaned by the OS.
        }
    }
}

public sealed class SharedKeysTests(UpgradedPortfolioApp app) : IClassFixture<UpgradedPortfolioApp>
{
    [Fact]
    public async Task WhatOneInstanceProtectsAnotherInstanceOnTheSameDatabaseReads()
    {
        var secret = app.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("Cookie.Test").Protect("editor@example.com");
        var card = app.Services.GetRequiredService<ShareCards>().UrlFor("A title");

        await using var second = new SecondInstance(app, TimeSpan.FromMinutes(1));
        _ = second.Server;

        Assert.Equal("editor@example.com", second.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("Cookie.Test").Unprotect(secret));
        var name = card[ShareCards.Prefix.Length..];
        Assert.Equal("A title", second.Services.GetRequiredService<ShareCards>().TitleOf(name));
    }

    [Fact]
    public async Task AnOlderInstallsKeyFilesStillWorkAfterTheUpgradeAndAreCopiedOnce()
    {
        var protector = app.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("Upgrade.Test");
        Assert.Equal("signed in before the upgrade", protector.Unprotect(app.ProtectedBeforeUpgrade));

        // The card URLs made with the old key file stay valid: the same key signs them now.
        var payload = Microsoft.AspNetCore.WebUtilities.WebEncoders.Base64UrlEncode(Encoding.UTF8.GetBytes("Old card"));
        var oldSignature = Convert.ToHexStringLower(HMACSHA256.HashData(UpgradedPortfolioApp.OldShareCardKey, Encoding.ASCII.GetBytes(payload)))[..32];
        Assert.Equal($"{ShareCards.Prefix}{payload}.{oldSignature}.png", app.Services.GetRequiredService<ShareCards>().UrlFor("Old card"));

        // A second start (here: preparing again) finds them copied and copies nothing twice.
        await app.Services.PrepareSharedKeysAsync();
        await app.WithDbAsync(async db =>
        {
            var names = await db.DataProtectionKeys.Select(key => key.FriendlyName).ToListAsync();
            Assert.NotEmpty(names);
            Assert.Equal(names.Count, names.Distinct().Count());
            Assert.Single(await db.SharedSecrets.ToListAsync());
        });
    }
}

public sealed class ContentChangesAcrossInstancesTests(PortfolioApp app) : IClassFixture<PortfolioApp>
{
    [SkippableFact]
    public async Task AChangeOnOneInstanceDropsTheOtherInstancesSnapshotWithinASecond()
    {
        Skip.IfNot(app.Database.IsPostgres, "Several instances share a PostgreSQL database; SQLite is one process.");
        // The periodic check is ten minutes away: only the notification can do it.
        await using var second = new SecondInstance(app, TimeSpan.FromMinutes(10));
        var secondCache = second.Services.GetRequiredService<PublishedContentCache>();
        var before = await secondCache.GetAsync();
        await Task.Delay(300); // the listener has subscribed

        await app.Services.GetRequiredService<PublishedContentCache>().InvalidateAsync();

        Assert.True(await ChangesWithinAsync(secondCache, before, TimeSpan.FromSeconds(1)), "The second instance still serves its old snapshot.");
    }

    [SkippableFact]
    public async Task AChangeWhoseNotificationWasLostIsFoundByThePeriodicCheck()
    {
        Skip.IfNot(app.Database.IsPostgres, "Several instances share a PostgreSQL database; SQLite is one process.");
        await using var second = new SecondInstance(app, TimeSpan.FromMilliseconds(200));
        var secondCache = second.Services.GetRequiredService<PublishedContentCache>();
        var before = await secondCache.GetAsync();
        await Task.Delay(300);

        // The stamp goes up without a NOTIFY, as if the notification went with a dropped connection.
        await app.WithDbAsync(db => db.Database.ExecuteSqlRawAsync("""UPDATE "ChangeStamps" SET "Version" = "Version" + 1 WHERE "Name" = 'content'"""));

        Assert.True(await ChangesWithinAsync(secondCache, before, TimeSpan.FromSeconds(2)), "The periodic check did not notice the changed stamp.");
    }

    private static async Task<bool> ChangesWithinAsync(PublishedContentCache cache, PublishedSnapshot before, TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + limit;
        while (DateTime.UtcNow < deadline)
        {
            if (!ReferenceEquals(await cache.GetAsync(), before))
            {
                return true;
            }

            await Task.Delay(25);
        }

        return false;
    }
}

public sealed class SharedJobLockTests(EmptyPortfolioApp app) : IClassFixture<EmptyPortfolioApp>
{
    [SkippableFact]
    public async Task AJobRunsOnOneInstanceAtATimeAndTheOtherSkipsItsRound()
    {
        Skip.IfNot(app.Database.IsPostgres, "Several instances share a PostgreSQL database; SQLite is one process.");
        await using var second = new SecondInstance(app, TimeSpan.FromMinutes(1));
        var firstLock = app.Services.GetRequiredService<SharedJobLock>();
        var secondLock = second.Services.GetRequiredService<SharedJobLock>();
        var running = new TaskCompletionSource();
        var finish = new TaskCompletionSource();
        var rounds = 0;

        var first = firstLock.RunAloneAsync("test-job", async _ =>
        {
            Interlocked.Increment(ref rounds);
            running.SetResult();
            await finish.Task;
        }, CancellationToken.None);
        await running.Task;

        Assert.False(await secondLock.RunAloneAsync("test-job", _ => { Interlocked.Increment(ref rounds); return Task.CompletedTask; }, CancellationToken.None));
        // Another job is not held up by this one.
        Assert.True(await secondLock.RunAloneAsync("other-job", _ => Task.CompletedTask, CancellationToken.None));
        finish.SetResult();
        Assert.True(await first);
        Assert.Equal(1, rounds);

        // Released with the round: the next round may run anywhere.
        Assert.True(await secondLock.RunAloneAsync("test-job", _ => { Interlocked.Increment(ref rounds); return Task.CompletedTask; }, CancellationToken.None));
        Assert.Equal(2, rounds);
    }

    [Fact]
    public async Task OnSqliteTheRoundJustRuns()
    {
        var ran = await app.Services.GetRequiredService<SharedJobLock>().RunAloneAsync("test-job", _ => Task.CompletedTask, CancellationToken.None);
        Assert.True(ran);
    }
}

public sealed class OutboxClaimsAcrossInstancesTests(Portfolio.Tests.Email.DispatcherDisabledApp app) : IClassFixture<Portfolio.Tests.Email.DispatcherDisabledApp>
{
    [Fact]
    public async Task TwoDispatchersClaimingAtOnceNeverLeaseTheSameMail()
    {
        const int mails = 60;
        await app.WithScopeAsync(async services =>
        {
            var db = services.GetRequiredService<PortfolioDbContext>();
            var outbox = services.GetRequiredService<Portfolio.Web.Email.EmailOutbox>();
            for (var i = 0; i < mails; i++)
            {
                db.EmailOutbox.Add(outbox.Create(new Portfolio.Web.Email.EmailDraft("test", $"to{i}@example.com", "To", new Portfolio.Web.Email.RenderedEmail("Subject", "Text", "<p>Html</p>"))));
            }

            await db.SaveChangesAsync();
        });

        // Two instances' dispatchers, each on its own connection, claim small batches as fast as they can until none is left.
        var now = app.Clock.GetUtcNow().UtcDateTime;
        async Task<List<long>> ClaimAllAsync(string instance)
        {
            var claimed = new List<long>();
            while (true)
            {
                var batch = await app.WithScopeAsync(services => services.GetRequiredService<Portfolio.Web.Email.OutboxStore>()
                    .ClaimAsync(instance, now, now.AddMinutes(5), 3, CancellationToken.None));
                if (batch.Count == 0)
                {
                    return claimed;
                }

                claimed.AddRange(batch);
            }
        }

        var both = await Task.WhenAll(ClaimAllAsync("instance-a"), ClaimAllAsync("instance-b"));

        var all = both[0].Concat(both[1]).ToList();
        Assert.Equal(all.Count, all.Distinct().Count());
        Assert.True(all.Count >= mails, $"{all.Count} of at least {mails} mails claimed.");
    }
}
