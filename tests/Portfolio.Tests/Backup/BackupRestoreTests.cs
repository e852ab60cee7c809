using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portfolio.Tests.Api;
using Portfolio.Tests.Email;
using Portfolio.Tests.Infrastructure;
using Portfolio.Tests.Media;
using Portfolio.Web.Backup;
using Portfolio.Web.Data;
using Portfolio.Web.Email;
using Portfolio.Web.Media;
using Xunit.Abstractions;

namespace Portfolio.Tests.Backup;

/// <summary>
/// Issue 17, backups: <c>backup --to FILE</c> while the site takes writes, <c>restore --from FILE</c> into a fresh content
/// root and database, and the site started on it — on the provider the run asks for (SQLite, or PostgreSQL under tests/run.sh).
/// </summary>
[RunsFirst]
public sealed class BackupRestoreTests(ITestOutputHelper output)
{
    private const string ProtectionPurpose = "backup-restore-test";

    [Fact]
    public async Task ABackupMadeUnderWriteLoadRestoresEveryAcknowledgedWriteMediaAndKeysAndSendsNoMailTwice()
    {
        await using var smtp = await SmtpTestServer.SharedOrStartAsync();
        var archive = Path.Combine(Directory.CreateTempSubdirectory("portfolio-backup-").FullName, "site.tar.gz");
        var original = new SharedSmtpApp(smtp);
        await ((IAsyncLifetime)original).InitializeAsync();
        Snapshot before;
        BackupTool.Result backup;
        string protectedText;
        var acknowledged = new ConcurrentBag<(Guid Id, bool Booking, DateTime At)>();
        DateTime backupStarted;
        try
        {
            var client = original.CreateClient();
            // Before the backup: a booking, a message, an image, and their mails delivered.
            var slots = await ApiCalls.FreeSlotsAsync(client, "talha", "2026-11-03", 14);
            var first = await client.PostAsync(ApiCalls.Bookings, ApiCalls.Json(ApiCalls.Booking(slots[0].Start)));
            Assert.Equal(HttpStatusCode.Created, first.StatusCode);
            acknowledged.Add(((await first.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<Guid>(), true, DateTime.UtcNow));
            var image = await original.WithScopeAsync(async services =>
            {
                var stored = await services.GetRequiredService<MediaLibrary>().UploadAsync(new MemoryStream(TestImages.Png), "logo.png", "Our logo", "test");
                return Assert.IsType<MediaUploadResult.Stored>(stored).Item;
            });
            var imageBytes = await client.GetByteArrayAsync(MediaUrls.For(image.StoredName));
            protectedText = original.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector(ProtectionPurpose).Protect("only the keys open this");
            // A mail that waits (due tomorrow on the app's clock) when the backup is made.
            await original.WithDbAsync(async db =>
            {
                db.EmailOutbox.Add(new EmailOutboxMessage
                {
                    MessageId = $"<waiting-{Guid.NewGuid():N}@portfolio.test>", ToAddress = "later@example.com", ToName = "Later", Subject = "Waiting",
                    TextBody = "waiting", HtmlBody = "<p>waiting</p>", Kind = "test", Status = EmailStatus.Pending,
                    CreatedUtc = original.Clock.GetUtcNow().UtcDateTime, NextAttemptUtc = original.Clock.GetUtcNow().UtcDateTime.AddDays(1),
                });
                await db.SaveChangesAsync();
            });
            await WaitUntilNothingDueAsync(original);

            // The load: messages from four clients and bookings from one, until the backup has finished.
            using var stop = new CancellationTokenSource();
            var writers = Enumerable.Range(0, 4).Select(writer => Task.Run(async () =>
            {
                var own = original.CreateClient();
                while (!stop.IsCancellationRequested)
                {
                    var response = await own.PostAsync(ApiCalls.ContactMessages, ApiCalls.Json(ApiCalls.ContactMessage($"load {writer} {Guid.NewGuid():N}")));
                    Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
                    acknowledged.Add(((await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<Guid>(), false, DateTime.UtcNow));
                }
            })).Append(Task.Run(async () =>
            {
                var own = original.CreateClient();
                foreach (var slot in slots.Skip(1))
                {
                    if (stop.IsCancellationRequested)
                    {
                        break;
                    }

                    var response = await own.PostAsync(ApiCalls.Bookings, ApiCalls.Json(ApiCalls.Booking(slot.Start)));
                    if (response.StatusCode == HttpStatusCode.Created)
                    {
                        acknowledged.Add(((await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<Guid>(), true, DateTime.UtcNow));
                    }
                }
            })).ToList();
            await Task.Delay(TimeSpan.FromSeconds(1));
            backupStarted = DateTime.UtcNow;
            backup = await BackupTool.BackupAsync(original.ContentRoot, original.Database, archive);
            await Task.Delay(TimeSpan.FromMilliseconds(500));
            await stop.CancelAsync();
            await Task.WhenAll(writers);
            output.WriteLine(backup.ToString());
            Assert.True(backup.ExitCode == 0, backup.ToString());
            output.WriteLine($"{acknowledged.Count} acknowledged writes, {acknowledged.Count(write => write.At < backupStarted)} before the backup started");

            // The old site goes on sending what waited at the backup, then stops: those mails went out from it.
            await WaitUntilNothingDueAsync(original);
            before = await Snapshot.TakeAsync(original);
            before = before with { ImageName = image.StoredName, ImageBytes = imageBytes };
        }
        finally
        {
            await ((IAsyncLifetime)original).DisposeAsync();
        }

        var restored = new RestoredApp(smtp, archive);
        await ((IAsyncLifetime)restored).InitializeAsync();
        try
        {
            output.WriteLine(restored.Restore!.ToString());
            var after = await Snapshot.TakeAsync(restored);

            // Every write acknowledged before the backup started is there.
            var messages = after.MessageIds.ToHashSet();
            var bookings = after.BookingIds.ToHashSet();
            foreach (var write in acknowledged.Where(write => write.At < backupStarted))
            {
                Assert.Contains(write.Id, write.Booking ? bookings : messages);
            }

            Assert.Subset(before.MessageIds.ToHashSet(), messages);
            Assert.Subset(before.BookingIds.ToHashSet(), bookings);
            Assert.Equal(before.Content, after.Content);

            // Media and keys.
            var client = restored.CreateClient();
            Assert.Equal(before.ImageBytes, await client.GetByteArrayAsync(MediaUrls.For(before.ImageName!)));
            Assert.Equal("only the keys open this",
                restored.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector(ProtectionPurpose).Unprotect(protectedText));
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/team/talha")).StatusCode);

            // No mail of the backup waits to be sent: each is sent (a row says so) or held for the owner.
            var restoredMails = await restored.WithScopeAsync(services => services.GetRequiredService<PortfolioDbContext>().EmailOutbox.AsNoTracking().ToListAsync());
            Assert.DoesNotContain(restoredMails, mail => mail.Status == EmailStatus.Pending);
            var waiting = Assert.Single(restoredMails, mail => mail.ToAddress == "later@example.com");
            Assert.Equal(EmailStatus.Dead, waiting.Status);
            Assert.StartsWith(RestoredOutbox.HeldNotePrefix, waiting.LastError, StringComparison.Ordinal);

            // A new message after the restore is mailed (the dispatcher runs) and nothing of before goes a second time.
            var response = await client.PostAsync(ApiCalls.ContactMessages, ApiCalls.Json(ApiCalls.ContactMessage("after the restore")));
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            await WaitUntilNothingDueAsync(restored);
            var newest = await restored.WithScopeAsync(services => services.GetRequiredService<PortfolioDbContext>().EmailOutbox.AsNoTracking()
                .OrderByDescending(mail => mail.Id).FirstAsync());
            await smtp.WaitForAsync(newest.MessageId);
            await Task.Delay(TimeSpan.FromSeconds(1));
            var copies = smtp.CountByMessageId();
            var sentBefore = restoredMails.Where(mail => mail.Status == EmailStatus.Sent).Select(mail => mail.MessageId).ToList();
            Assert.NotEmpty(sentBefore);
            Assert.All(sentBefore, id => Assert.Equal(1, copies.GetValueOrDefault(id)));
            Assert.All(restoredMails.Where(mail => mail.Status == EmailStatus.Dead), mail => Assert.True(copies.GetValueOrDefault(mail.MessageId) <= 1,
                $"{mail.MessageId} was delivered {copies.GetValueOrDefault(mail.MessageId)} times"));
            Assert.DoesNotContain(waiting.MessageId, copies.Keys);
        }
        finally
        {
            await ((IAsyncLifetime)restored).DisposeAsync();
            Directory.Delete(Path.GetDirectoryName(archive)!, recursive: true);
        }
    }

    /// <summary>Waits until the outbox holds no mail that is due (sent, or waiting for a later time).</summary>
    private static Task<int> WaitUntilNothingDueAsync(PortfolioApp app) =>
        SmtpPortfolioApp.WaitUntilAsync(
            () => app.WithScopeAsync(services =>
            {
                var now = app.Clock.GetUtcNow().UtcDateTime;
                return services.GetRequiredService<PortfolioDbContext>().EmailOutbox.CountAsync(mail => mail.Status == EmailStatus.Pending && mail.NextAttemptUtc <= now);
            }),
            due => due == 0,
            TimeSpan.FromSeconds(120));

    private sealed record Snapshot(List<Guid> MessageIds, List<Guid> BookingIds, string Content, string? ImageName = null, byte[]? ImageBytes = null)
    {
        public static Task<Snapshot> TakeAsync(PortfolioApp app) => app.WithScopeAsync(async services =>
        {
            var db = services.GetRequiredService<PortfolioDbContext>();
            var content = await db.ContentItems.AsNoTracking().OrderBy(item => item.Id)
                .Select(item => item.Id.ToString() + " " + item.Name).ToListAsync();
            var versions = await db.ContentVersions.AsNoTracking().CountAsync();
            return new Snapshot(
                await db.ContactMessages.AsNoTracking().Select(message => message.Id).ToListAsync(),
                await db.Bookings.AsNoTracking().Select(booking => booking.Id).ToListAsync(),
                string.Join('\n', content) + $"\n{versions} versions");
        });
    }
}
