using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portfolio.Tests.Infrastructure;
using Portfolio.TestSupport;
using Portfolio.Web.Content;
using Portfolio.Web.Data;

namespace Portfolio.Tests.Deployment;

/// <summary>
/// compose.yaml's production setup without containers: two real app processes on one PostgreSQL behind Debian's
/// nginx on loopback, running the very nginx configuration compose uses (deploy/nginx/portfolio.conf.template, its
/// ports and certificate paths filled in) with a throwaway certificate.
/// </summary>
public sealed class TwoInstancesBehindNginxTests
{
    private const string Nginx = "/usr/sbin/nginx";

    [SkippableFact]
    public async Task TwoInstancesBehindNginxServeOneSiteAndSurviveTheLossOfOne()
    {
        Skip.IfNot(TestDatabase.ProviderFromEnvironment == "Postgres", "Several instances share a PostgreSQL database; SQLite is one process.");
        Skip.IfNot(File.Exists(Nginx), "Debian's nginx is not installed (tests/run.sh installs it).");

        var work = Directory.CreateTempSubdirectory("portfolio-nginx-").FullName;
        var roots = new[] { Path.Combine(work, "app1"), Path.Combine(work, "app2") };
        var media = Directory.CreateDirectory(Path.Combine(work, "media")).FullName;
        await using var database = await SampleSiteTemplate.CopyAsync(roots[0]);
        var (httpPort, httpsPort) = (FreePort.Next(), FreePort.Next());
        var settings = PortfolioProcess.DatabaseSettings(database).Concat(
        [
            $"--Site:PublicUrl=https://127.0.0.1:{httpsPort}",
            // compose.yaml's settings: only the proxy's forwarded headers count, media in one shared folder.
            "--ForwardedHeaders:KnownProxies:0=127.0.0.1",
            $"--Media:Folder={media}",
            "--Email:Dispatcher:Enabled=false",
            "--RateLimiting:ContactWrites:PermitLimit=1000000",
        ]).ToList();

        var apps = new List<PortfolioProcess>();
        Process? nginx = null;
        try
        {
            foreach (var root in roots)
            {
                Directory.CreateDirectory(root);
                apps.Add(await PortfolioProcess.StartAsync(root, settings));
            }

            nginx = await StartNginxAsync(work, httpPort, httpsPort, apps);
            using var handler = new HttpClientHandler
            {
                AllowAutoRedirect = false,
                // The throwaway certificate of this test.
                ServerCertificateCustomValidationCallback = HttpClientHandler.DangerousAcceptAnyServerCertificateValidator,
            };
            using var proxy = new HttpClient(handler) { BaseAddress = new Uri($"https://127.0.0.1:{httpsPort}"), Timeout = TimeSpan.FromSeconds(10) };

            // Plain HTTP goes to HTTPS; HTTPS answers carry one HSTS header.
            using (var plain = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }))
            {
                var moved = await plain.GetAsync($"http://127.0.0.1:{httpPort}/services?x=1");
                Assert.Equal(HttpStatusCode.MovedPermanently, moved.StatusCode);
                Assert.Equal($"https://127.0.0.1:{httpsPort}/services?x=1", moved.Headers.Location?.ToString());
            }

            var home = await proxy.GetAsync("/");
            Assert.Equal(HttpStatusCode.OK, home.StatusCode);
            Assert.Single(home.Headers.GetValues("Strict-Transport-Security"));

            // A publish on one instance (here a third, in this process, on the same database) is seen through both
            // instances within a second. Each instance is asked directly after nginx has warmed both caches.
            await using var editor = new InProcessInstance(database, roots[0]);
            var service = (await editor.Services.GetRequiredService<PublishedContentCache>().GetAsync()).List<Service>()[0];
            var direct = apps.Select(app => new HttpClient { BaseAddress = app.BaseAddress }).ToList();
            foreach (var client in direct)
            {
                // Rendered and kept in each instance's output cache before the change.
                Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(service.Url)).StatusCode);
            }

            var title = "Retitled " + Guid.NewGuid().ToString("N")[..8];
            await editor.WithContentAsync(async content =>
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

            var seenWithin = deadline.ElapsedMilliseconds;
            direct.ForEach(client => client.Dispose());

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
                        var response = await proxy.PostAsJsonAsync("/api/v1/contact-messages", new
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
            await apps[0].KillAsync();
            var countAtKill = acknowledged.Count;
            await Task.WhenAll(writers);

            Assert.True(acknowledged.Count > countAtKill + 10, $"nginx did not fail over: {acknowledged.Count - countAtKill} writes acknowledged after the kill.");
            var stored = await editor.WithSubjectsAsync();
            var lost = acknowledged.Where(subject => !stored.Contains(subject)).ToList();
            Assert.True(lost.Count == 0, $"{lost.Count} acknowledged writes are not stored: {string.Join(", ", lost.Take(5))}");
            // For the log of the run: how fast the change showed, how many writes nginx could not place while one died.
            Console.WriteLine($"Publish seen on both instances within {seenWithin} ms; {acknowledged.Count} writes acknowledged, {failed} refused or cut.");
        }
        finally
        {
            if (nginx is { HasExited: false })
            {
                nginx.Kill();
                await nginx.WaitForExitAsync();
            }

            foreach (var app in apps)
            {
                await app.DisposeAsync();
            }

            try
            {
                Directory.Delete(work, recursive: true);
            }
            catch (IOException)
            {
                // A log file may still be open for a moment; the temp folder is cleaned by the OS.
            }
        }
    }

    /// <summary>compose.yaml's nginx template with this run's ports and certificate, inside a minimal main config.</summary>
    private static async Task<Process> StartNginxAsync(string work, int httpPort, int httpsPort, List<PortfolioProcess> apps)
    {
        var (cert, key) = (Path.Combine(work, "cert.pem"), Path.Combine(work, "key.pem"));
        var openssl = Process.Start("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
            "-keyout", key, "-out", cert])!;
        await openssl.WaitForExitAsync();
        Assert.Equal(0, openssl.ExitCode);

        var template = await File.ReadAllTextAsync(Path.Combine(Repository.Root, "deploy", "nginx", "portfolio.conf.template"));
        var values = new Dictionary<string, string>
        {
            ["PORTFOLIO_APP1"] = apps[0].BaseAddress.Authority,
            ["PORTFOLIO_APP2"] = apps[1].BaseAddress.Authority,
            ["PORTFOLIO_HTTP_PORT"] = $"127.0.0.1:{httpPort}",
            ["PORTFOLIO_HTTPS_PORT"] = $"127.0.0.1:{httpsPort}",
            ["PORTFOLIO_HTTPS_SUFFIX"] = $":{httpsPort}",
            ["PORTFOLIO_TLS_CERT"] = cert,
            ["PORTFOLIO_TLS_KEY"] = key,
        };
        var site = values.Aggregate(template, (text, value) => text.Replace("${" + value.Key + "}", value.Value, StringComparison.Ordinal));
        Assert.DoesNotContain("${PORTFOLIO_", site, StringComparison.Ordinal);
        await File.WriteAllTextAsync(Path.Combine(work, "portfolio.conf"), site);
        // Started as root, nginx's workers would run as nobody, who may not enter this test's private temp folder
        // (where large proxied answers are buffered); as any other user the line is left out.
        var user = Environment.UserName == "root" ? "user root;" : "";
        await File.WriteAllTextAsync(Path.Combine(work, "nginx.conf"), $$"""
            {{user}}
            worker_processes 1;
            pid {{work}}/nginx.pid;
            error_log {{work}}/nginx-error.log;
            events {}
            http {
                access_log off;
                client_body_temp_path {{work}}/body;
                proxy_temp_path {{work}}/proxy;
                fastcgi_temp_path {{work}}/fastcgi;
                uwsgi_temp_path {{work}}/uwsgi;
                scgi_temp_path {{work}}/scgi;
                include {{work}}/portfolio.conf;
            }
            """);
        var nginx = Process.Start(new ProcessStartInfo(Nginx, ["-p", work, "-e", Path.Combine(work, "nginx-start.log"), "-c", Path.Combine(work, "nginx.conf"), "-g", "daemon off;"])
        {
            RedirectStandardError = true,
        })!;
        // Not following the redirect to HTTPS: this only asks whether nginx listens yet.
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        for (var attempt = 0; attempt < 100; attempt++)
        {
            Assert.False(nginx.HasExited, "nginx exited: " + await nginx.StandardError.ReadToEndAsync());
            try
            {
                await client.GetAsync($"http://127.0.0.1:{httpPort}/");
                return nginx;
            }
            catch (HttpRequestException)
            {
                await Task.Delay(100);
            }
        }

        throw new TimeoutException("nginx did not start listening.");
    }

    /// <summary>A third instance in this process on the same database, for the test's own reads and edits.</summary>
    private sealed class InProcessInstance(TestDatabase database, string contentRoot) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseContentRoot(Directory.CreateDirectory(Path.Combine(contentRoot, "..", "editor")).FullName);
            builder.UseEnvironment("Testing");
            builder.UseSetting("Database:Provider", database.Provider);
            builder.UseSetting("ConnectionStrings:Portfolio", database.ConnectionString ?? "");
            builder.UseSetting("Email:Dispatcher:Enabled", "false");
            builder.UseSetting("Content:SchedulerInterval", "01:00:00");
            builder.UseSetting("Serilog:MinimumLevel:Default", "Warning");
        }

        public async Task WithContentAsync(Func<ContentService, Task> work)
        {
            await using var scope = Services.CreateAsyncScope();
            await work(scope.ServiceProvider.GetRequiredService<ContentService>());
        }

        public async Task<HashSet<string>> WithSubjectsAsync()
        {
            await using var scope = Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<PortfolioDbContext>();
            return (await db.ContactMessages.Select(message => message.Subject).ToListAsync()).ToHashSet(StringComparer.Ordinal);
        }
    }
}
