using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portfolio.Tests.Backoffice;
using Portfolio.Tests.Infrastructure;
using Portfolio.Tests.Media;
using Portfolio.Tests.Webhooks;
using Portfolio.Web.Backoffice;
using Portfolio.Web.Content;
using Portfolio.Web.Webhooks;
using SkiaSharp;

namespace Portfolio.Tests.Deployment;

/// <summary>
/// compose.yaml's two instances behind its nginx (<see cref="TwoInstancesBehindNginx"/>) behave as one site: a visitor,
/// an editor, the owner's mail and the scheduler cannot tell that there are two. The test that kills an instance runs last.
/// </summary>
[TestCaseOrderer(RunsLastOrderer.TypeName, RunsLastOrderer.AssemblyName)]
[RunsFirst]
public sealed partial class TwoInstancesBehindNginxTests(TwoInstancesBehindNginx pair) : IClassFixture<TwoInstancesBehindNginx>
{
    [SkippableFact]
    public async Task PlainHttpGoesToHttpsAndAPublishOnOneInstanceShowsOnBothWithinASecond()
    {
        Skip.If(pair.SkipReason is not null, pair.SkipReason);

        // Plain HTTP goes to HTTPS; HTTPS answers carry one HSTS header.
        using (var plain = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }))
        {
            var moved = await plain.GetAsync($"http://127.0.0.1:{pair.HttpPort}/services?x=1");
            Assert.Equal(HttpStatusCode.MovedPermanently, moved.StatusCode);
            Assert.Equal($"https://127.0.0.1:{pair.HttpsPort}/services?x=1", moved.Headers.Location?.ToString());
        }

        var home = await pair.Proxy.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, home.StatusCode);
        Assert.Single(home.Headers.GetValues("Strict-Transport-Security"));

        // A publish on one instance (here the third, in this process, on the same database) is seen through both
        // instances within a second. Each instance is asked directly after nginx has warmed both caches.
        var service = (await pair.Editor.Services.GetRequiredService<PublishedContentCache>().GetAsync()).List<Service>()[0];
        var direct = pair.Apps.Select(TwoInstancesBehindNginx.Direct).ToList();
        foreach (var client in direct)
        {
            // Rendered and kept in each instance's output cache before the change.
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(service.Url)).StatusCode);
        }

        var title = "Retitled " + Guid.NewGuid().ToString("N")[..8];
        await pair.Editor.WithContentAsync(async content =>
        {
            await content.SaveDraftAsync(service.Key, (Service)service.Document with { Title = title }, service.Slug, "nginx-test");
            await content.PublishAsync(service.Key, "nginx-test");
        });
        var deadline = Stopwatch.StartNew();
        foreach (var client in direct)
        {
            while (!(await client.GetStringAsync(service.Url)).Contains(title, StringComparison.Ordinal))
            {
                Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(1), $"{client.BaseAddress} still shows the old title after {deadline.ElapsedMilliseconds} ms.");
                await Task.Delay(20);
            }
        }

        // For the log of the run: how fast the change showed.
        Console.WriteLine($"Publish seen on both instances within {deadline.ElapsedMilliseconds} ms.");
        direct.ForEach(client => client.Dispose());
    }

    [SkippableFact]
    public async Task ASignInThroughOneInstanceHoldsOnTheOtherWhichTakesTheFirstInstancesAntiforgeryTokens()
    {
        Skip.If(pair.SkipReason is not null, pair.SkipReason);
        var browser = pair.NewBrowser();
        using var first = browser.To(pair.Apps[0]);
        using var second = browser.To(pair.Apps[1]);

        // Not signed in: the second instance sends the browser to the sign-in page.
        var before = await second.GetAsync("/umbraco");
        Assert.Equal(HttpStatusCode.Redirect, before.StatusCode);
        Assert.StartsWith("/umbraco/login", before.Headers.Location?.PathAndQuery());

        // The real sign-in form of the first instance, with its antiforgery token, posted to the first instance.
        var signedIn = await first.SignInAsync(BackofficeApp.AdminEmail, BackofficeApp.Password);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Assert.Equal("/umbraco", signedIn.Headers.Location?.OriginalString);
        Assert.True(browser.HasCookie(BackofficeSession.CookieName), "The first instance set no session cookie.");

        // The second instance reads the first one's cookie: the dashboard, signed in.
        var dashboard = await second.GetAsync("/umbraco");
        Assert.True(dashboard.StatusCode == HttpStatusCode.OK, $"The second instance answered {(int)dashboard.StatusCode} {dashboard.Headers.Location}.");
        Assert.Contains("Welcome, Initial Admin", Html.Parse(await dashboard.Content.ReadAsStringAsync()).QuerySelector("h1")!.TextContent);

        // A form as the first instance rendered it, posted to the second: its antiforgery token was made with the
        // first instance's key, and the second takes it.
        const string addForm = "main form[action*='handler=Add']";
        var form = (await first.GetDocumentAsync("/umbraco/redirects")).QuerySelector(addForm)!;
        var action = form.GetAttribute("action")!;
        var token = form.QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        var from = $"/moved-{Guid.NewGuid().ToString("N")[..8]}";
        List<KeyValuePair<string, string>> Fields(string antiforgery) =>
            [new("__RequestVerificationToken", antiforgery), new("FromPath", from), new("ToPath", "/services")];

        // Antiforgery is checked there: another visitor's token (from the sign-in page of a browser without this
        // session) is refused, so the acceptance below is the first instance's token's doing.
        using var stranger = pair.NewBrowser().To(pair.Apps[0]);
        var strangersToken = (await stranger.GetDocumentAsync("/umbraco/login")).QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        var refused = await second.PostFormAsync(action, Fields(strangersToken));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);

        var added = await second.PostFormAsync(action, Fields(token));
        Assert.True(added.StatusCode == HttpStatusCode.Redirect, $"The second instance answered {(int)added.StatusCode} to the first instance's form.");
        Assert.Contains("status=added", added.Headers.Location?.OriginalString);

        // What the second instance stored, the first serves (it was told of the change).
        using var site = TwoInstancesBehindNginx.Direct(pair.Apps[0]);
        var served = await WithinAsync(TimeSpan.FromSeconds(2), () => site.GetAsync(from), response => response.StatusCode == HttpStatusCode.MovedPermanently);
        Assert.Equal(HttpStatusCode.MovedPermanently, served.StatusCode);
        Assert.Equal("/services", served.Headers.Location?.OriginalString);
    }

    [SkippableTheory]
    [InlineData("per visitor")]
    [InlineData("site-wide")]
    public async Task NginxRefusesWritesOverItsLimitWith429AndRetryAfterWhileReadsAndTheBackofficePass(string limit)
    {
        Skip.If(pair.SkipReason is not null, pair.SkipReason);
        // compose.yaml's shape with small figures: three writes at once, then (nearly) none.
        var limits = limit == "per visitor"
            ? new TwoInstancesBehindNginx.WriteLimits(PerMinute: 1, Burst: 3, SitePerSecond: 100_000, SiteBurst: 100_000)
            : new TwoInstancesBehindNginx.WriteLimits(PerMinute: 1_000_000, Burst: 100_000, SitePerSecond: 1, SiteBurst: 3);
        var (nginx, httpsPort) = await pair.StartAnotherNginxAsync(limits);
        try
        {
            using var client = new HttpClient(new HttpClientHandler
            {
                AllowAutoRedirect = false,
                ServerCertificateCustomValidationCallback = HttpClientHandler.DangerousAcceptAnyServerCertificateValidator,
            }) { BaseAddress = new Uri($"https://127.0.0.1:{httpsPort}"), Timeout = TimeSpan.FromSeconds(10) };

            // Junk: the app answers 400 to each write nginx lets through (its own limit is out of the way here).
            var answers = new List<HttpResponseMessage>();
            for (var i = 0; i < 10; i++)
            {
                answers.Add(await client.PostAsync("/api/v1/contact-messages", new StringContent("{not json", System.Text.Encoding.UTF8, "application/json")));
            }

            var passed = answers.Count(answer => answer.StatusCode == HttpStatusCode.BadRequest);
            var refused = answers.Where(answer => answer.StatusCode == HttpStatusCode.TooManyRequests).ToList();
            Assert.True(passed is >= 3 and <= 4, $"{passed} junk writes reached the app; the burst is 3 (plus at most one token): {string.Join(", ", answers.Select(a => (int)a.StatusCode))}");
            Assert.Equal(10 - passed, refused.Count);
            foreach (var answer in refused)
            {
                Assert.Equal("10", Assert.Single(answer.Headers.GetValues("Retry-After")));
                Assert.Equal("application/problem+json", answer.Content.Headers.ContentType?.MediaType);
                Assert.Single(answer.Headers.GetValues("Strict-Transport-Security"));
                using var problem = System.Text.Json.JsonDocument.Parse(await answer.Content.ReadAsStringAsync());
                Assert.Equal(429, problem.RootElement.GetProperty("status").GetInt32());
                Assert.Contains("try again", problem.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
            }

            // Reads are not limited by nginx, nor are the backoffice's posts (the app answers them: here a sign-in post
            // without its antiforgery token is refused by the app with 400, not by nginx).
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/")).StatusCode);
            var backoffice = await client.PostAsync("/umbraco/login", new FormUrlEncodedContent([new("Email", "x@example.com"), new("Password", "x")]));
            Assert.NotEqual(HttpStatusCode.TooManyRequests, backoffice.StatusCode);
        }
        finally
        {
            await TwoInstancesBehindNginx.StopNginxAsync(nginx);
        }
    }

    [SkippableFact]
    public async Task AnImageUploadedThroughOneInstanceIsServedByBoth()
    {
        Skip.If(pair.SkipReason is not null, pair.SkipReason);
        var browser = pair.NewBrowser();
        using var first = browser.To(pair.Apps[0]);
        using var second = browser.To(pair.Apps[1]);
        Assert.Equal(HttpStatusCode.Redirect, (await second.SignInAsync(BackofficeApp.AdminEmail, BackofficeApp.Password)).StatusCode);

        // The media library's upload form of the first instance, its antiforgery token and a real PNG.
        var image = GeneratedImages.Stripes(160, 90);
        var uploaded = await first.UploadAsync(image, "stripes.png", "Four coloured stripes", contentType: "image/png");
        Assert.True(uploaded.StatusCode == HttpStatusCode.Redirect,
            $"The upload answered {(int)uploaded.StatusCode}: {MediaForms.FieldError(Html.Parse(await uploaded.Content.ReadAsStringAsync()))}");
        var id = uploaded.Headers.Location!.OriginalString.Split("#media-")[1];

        // The other instance lists it, with the address it is served at.
        var url = (await second.GetDocumentAsync(MediaForms.Page)).QuerySelector($"#media-{id} a.bo-media__preview")?.GetAttribute("href");
        Assert.NotNull(url);
        Assert.StartsWith("/media/", url);

        // Both serve the same file, and it is the image that was uploaded.
        var served = new List<byte[]>();
        foreach (var app in pair.Apps)
        {
            using var client = TwoInstancesBehindNginx.Direct(app);
            var response = await client.GetAsync(url);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{app.BaseAddress} answered {(int)response.StatusCode} for {url}.");
            Assert.Equal("image/png", response.Content.Headers.ContentType?.MediaType);
            served.Add(await response.Content.ReadAsByteArrayAsync());
        }

        Assert.Equal(served[0], served[1]);
        using var decoded = SKBitmap.Decode(served[1]);
        Assert.Equal((160, 90), (decoded.Width, decoded.Height));
        for (var stripe = 0; stripe < GeneratedImages.StripeColours.Length; stripe++)
        {
            Assert.Equal(GeneratedImages.StripeColours[stripe], decoded.GetPixel((stripe * 40) + 20, 45));
        }
    }

    [SkippableFact]
    public async Task EachOwnerNotificationIsSentExactlyOnceWhileBothInstancesDispatch()
    {
        Skip.If(pair.SkipReason is not null, pair.SkipReason);
        const int messages = 30;
        var run = Guid.NewGuid().ToString("N")[..8];
        var subjects = Enumerable.Range(0, messages).Select(i => $"Exactly once {run} #{i:00}").ToList();

        // Through nginx, which takes turns between the instances; a few at a time, so that both commit and wake their
        // dispatchers while the other's is busy.
        using var limit = new SemaphoreSlim(4);
        await Task.WhenAll(subjects.Select(async (subject, i) =>
        {
            await limit.WaitAsync();
            try
            {
                var response = await pair.Proxy.PostAsJsonAsync("/api/v1/contact-messages", new
                {
                    name = "Ada Lovelace",
                    email = $"ada{i}@example.com",
                    subject,
                    message = $"Message {i} of {run}, to be mailed to the owner once.",
                });
                Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            }
            finally
            {
                limit.Release();
            }
        }));

        // One notification queued per message, each with its own Message-ID.
        var queued = await pair.Editor.WithDbAsync(db => db.EmailOutbox.AsNoTracking()
            .Where(mail => mail.ToAddress == pair.OwnerAddress && mail.Subject.Contains(run))
            .Select(mail => mail.MessageId)
            .ToListAsync());
        Assert.Equal(messages, queued.Count);
        var messageIds = queued.Distinct().ToList();
        Assert.Equal(messages, messageIds.Count);

        // All arrive; then a few more polls of both dispatchers, for a second copy that would come late.
        await pair.Smtp.WaitForAllAsync(messageIds, TimeSpan.FromSeconds(60));
        await WithinAsync(TimeSpan.FromSeconds(10), () => Task.FromResult(SentLines(messageIds)), lines => lines.Sum() >= messages);
        await Task.Delay(TimeSpan.FromSeconds(2));

        var arrived = pair.Smtp.ReadAll().Where(mail => mail.IsTo(pair.OwnerAddress) && mail.Subject.Contains(run, StringComparison.Ordinal)).ToList();
        var twice = arrived.GroupBy(mail => mail.MessageId).Where(group => group.Count() > 1).Select(group => $"{group.Key} ×{group.Count()}").ToList();
        Assert.True(twice.Count == 0, $"Mails the SMTP server got more than once: {string.Join(", ", twice)}");
        Assert.Equal(messageIds.Order(StringComparer.Ordinal), arrived.Select(mail => mail.MessageId!).Order(StringComparer.Ordinal));
        Assert.All(subjects, subject => Assert.Single(arrived, mail => mail.Subject.Contains(subject, StringComparison.Ordinal)));

        // Each was sent once in all, and both dispatchers took part: the race above was real.
        var sentBy = SentLines(messageIds);
        Assert.Equal(messages, sentBy.Sum());
        Assert.True(sentBy.All(count => count > 0), $"One dispatcher sent them all ({string.Join(" + ", sentBy)}): nothing competed.");
        Console.WriteLine($"{messages} notifications sent once each, {string.Join(" + ", sentBy)} by the two instances.");
    }

    [SkippableFact]
    public async Task AScheduledPublishHappensOnceWithBothInstancesSchedulersRunning()
    {
        Skip.If(pair.SkipReason is not null, pair.SkipReason);
        // Every publish queues a content.published event: a receiver of its own counts them as they are posted.
        await using var hooks = await WebhookReceiver.StartAsync();
        await pair.Editor.WithScopeAsync(services => services.GetRequiredService<WebhookAdministration>().CreateAsync(
            new WebhookSettings("Scheduled publishing", hooks.Url, [WebhookEventTypes.ContentPublished], Enabled: true), default));

        // A new page, never published, scheduled a moment ahead.
        var service = (await pair.Editor.Services.GetRequiredService<PublishedContentCache>().GetAsync()).List<Service>()[0];
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var title = $"Scheduled {suffix}";
        var slug = $"scheduled-{suffix}";
        var url = DocumentTypeRegistry.Of<Service>().UrlFor(slug)!;
        var clock = pair.Editor.Services.GetRequiredService<TimeProvider>();
        var publishAt = clock.GetUtcNow().UtcDateTime.AddSeconds(3);
        var key = Guid.Empty;
        await pair.Editor.WithContentAsync(async content =>
        {
            key = (await content.CreateAsync((Service)service.Document with { Title = title }, slug, "nginx-test")).Key;
            await content.ScheduleAsync(key, publishAt, unpublishAtUtc: null);
        });
        var revisionBefore = await pair.Editor.WithDbAsync(db => db.ContentItems.Where(item => item.Id == key).Select(item => item.Revision).SingleAsync());

        // Published when due, and both instances show it.
        var untilDue = publishAt - clock.GetUtcNow().UtcDateTime;
        if (untilDue > TimeSpan.Zero)
        {
            await Task.Delay(untilDue);
        }

        foreach (var app in pair.Apps)
        {
            using var client = TwoInstancesBehindNginx.Direct(app);
            var page = await WithinAsync(TimeSpan.FromSeconds(15), () => client.GetAsync(url), response => response.StatusCode == HttpStatusCode.OK);
            Assert.True(page.StatusCode == HttpStatusCode.OK, $"{app.BaseAddress} answers {(int)page.StatusCode} for {url} after its publish time.");
            Assert.Contains(title, await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        // Its event is posted; then several more rounds of both schedulers and dispatchers, for a second publish.
        var itemKey = key.ToString();
        var posted = await WithinAsync(TimeSpan.FromSeconds(15), () => Task.FromResult(hooks.Received.Count(hook => hook.Body.Contains(itemKey, StringComparison.Ordinal))), count => count > 0);
        Assert.True(posted > 0, "No content.published event of the item was posted within 15 s of its publish.");
        await Task.Delay(3 * TwoInstancesBehindNginx.SchedulerInterval);

        // Published once: one event posted once, one delivery queued, one publish's step of the item's revision.
        Assert.Single(hooks.Received, hook => hook.Body.Contains(itemKey, StringComparison.Ordinal));
        var deliveries = await pair.Editor.WithDbAsync(db => db.WebhookDeliveries.CountAsync(delivery =>
            delivery.EventType == WebhookEventTypes.ContentPublished && delivery.Payload.Contains(itemKey)));
        Assert.Equal(1, deliveries);
        var item = await pair.Editor.WithDbAsync(db => db.ContentItems.AsNoTracking().SingleAsync(item => item.Id == key));
        Assert.Null(item.PublishAtUtc);
        Assert.NotNull(item.PublishedUtc);
        Assert.Equal(revisionBefore + 1, item.Revision);
    }

    [SkippableFact]
    [RunsLast]
    public async Task NoAcknowledgedWriteIsLostWhenAnInstanceIsKilledUnderLoad()
    {
        Skip.If(pair.SkipReason is not null, pair.SkipReason);

        // Writes under load while one instance is killed with SIGKILL: every write that was acknowledged is stored.
        var acknowledged = new System.Collections.Concurrent.ConcurrentBag<string>();
        var failed = 0;
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(6));
        var writers = Enumerable.Range(0, 4).Select(writer => Task.Run(async () =>
        {
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                var subject = $"Failover {writer}-{i}";
                try
                {
                    var response = await pair.Proxy.PostAsJsonAsync("/api/v1/contact-messages", new
                    {
                        name = "Load Writer",
                        email = $"writer{writer}@example.com",
                        subject,
                        message = $"Message {writer}-{i} written while an instance dies.",
                    });
                    if (response.StatusCode == HttpStatusCode.Accepted)
                    {
                        acknowledged.Add(subject);
                    }
                    else
                    {
                        Interlocked.Increment(ref failed);
                    }
                }
                catch (HttpRequestException)
                {
                    Interlocked.Increment(ref failed);
                }
            }
        })).ToList();
        await Task.Delay(TimeSpan.FromSeconds(2));
        await pair.Apps[0].KillAsync();
        var countAtKill = acknowledged.Count;
        await Task.WhenAll(writers);

        Assert.True(acknowledged.Count > countAtKill + 10, $"nginx did not fail over: {acknowledged.Count - countAtKill} writes acknowledged after the kill.");
        var stored = await pair.Editor.WithSubjectsAsync();
        var lost = acknowledged.Where(subject => !stored.Contains(subject)).ToList();
        Assert.True(lost.Count == 0, $"{lost.Count} acknowledged writes are not stored: {string.Join(", ", lost.Take(5))}");
        // For the log of the run: how many writes nginx could not place while one died.
        Console.WriteLine($"{acknowledged.Count} writes acknowledged, {failed} refused or cut.");
    }

    /// <summary>
    /// How many of these mails each instance logged as sent ("Mail 12 (…) sent as &lt;id&gt; …"), from its whole log file:
    /// the console's last lines may have moved on.
    /// </summary>
    private int[] SentLines(IReadOnlyCollection<string> messageIds) =>
        pair.LogFolders.Select(folder => LogLines(folder)
            .Select(line => SentAs().Match(line))
            .Count(match => match.Success && messageIds.Contains(match.Groups[1].Value))).ToArray();

    /// <summary>Every line of an instance's log files so far (they are open for writing; it flushes every second).</summary>
    private static List<string> LogLines(string folder)
    {
        var lines = new List<string>();
        foreach (var file in Directory.Exists(folder) ? Directory.GetFiles(folder, "portfolio-*.log") : [])
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var reader = new StreamReader(stream);
            lines.AddRange(reader.ReadToEnd().Split('\n'));
        }

        return lines;
    }

    [GeneratedRegex(@"\bsent as (<[^>\s]+>)")]
    private static partial Regex SentAs();

    /// <summary>Asks again until the answer is as expected or the time is up; returns the last answer.</summary>
    private static async Task<T> WithinAsync<T>(TimeSpan limit, Func<Task<T>> ask, Func<T, bool> expected)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var answer = await ask();
            if (expected(answer) || deadline.Elapsed > limit)
            {
                return answer;
            }

            await Task.Delay(50);
        }
    }
}
