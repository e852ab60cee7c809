using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portfolio.Tests.Backoffice;
using Portfolio.Tests.Infrastructure;
using Portfolio.Web.Content;
using Portfolio.Web.Data;

namespace Portfolio.Tests.Deployment;

/// <summary>
/// compose.yaml's production setup without containers: two real app processes on one PostgreSQL behind Debian's
/// nginx on loopback, running the very nginx configuration compose uses (deploy/nginx/portfolio.conf.template, its
/// ports and certificate paths filled in) with a throwaway certificate. As in compose, the instances share the media
/// folder, both run every background job (mail dispatcher, webhook dispatcher, scheduler) and send through one SMTP
/// server (a private aiosmtpd: the failover test queues more mail than the suite's shared Maildir should hold).
/// Started once for <see cref="TwoInstancesBehindNginxTests"/>: starting the processes is most of their time.
/// </summary>
public sealed class TwoInstancesBehindNginx : IAsyncLifetime
{
    private const string Nginx = "/usr/sbin/nginx";

    private readonly List<PortfolioProcess> _apps = [];
    private readonly List<string> _logFolders = [];
    private string? _work;
    private TestDatabase? _database;
    private Process? _nginx;
    private SmtpTestServer? _smtp;
    private InProcessInstance? _editor;
    private HttpClient? _proxy;

    /// <summary>Why the tests cannot run here, or null when everything started.</summary>
    public string? SkipReason { get; private set; }

    /// <summary>The two instances behind nginx, in the order of its upstream block.</summary>
    public IReadOnlyList<PortfolioProcess> Apps => _apps;

    /// <summary>Where each of <see cref="Apps"/> writes its log files.</summary>
    public IReadOnlyList<string> LogFolders => _logFolders;

    /// <summary>A third instance in this process on the same database, for the tests' own reads and edits.</summary>
    public InProcessInstance Editor => _editor ?? throw new InvalidOperationException("Not started.");

    public SmtpTestServer Smtp => _smtp ?? throw new InvalidOperationException("Not started.");

    /// <summary>An HTTPS client of nginx (the throwaway certificate accepted), redirects not followed.</summary>
    public HttpClient Proxy => _proxy ?? throw new InvalidOperationException("Not started.");

    /// <summary>Who the owner's notifications go to: this fixture's own address.</summary>
    public string OwnerAddress { get; } = $"owner-{Guid.NewGuid().ToString("N")[..12]}@example.com";

    /// <summary>How often each instance's scheduler looks for due publishes.</summary>
    public static readonly TimeSpan SchedulerInterval = TimeSpan.FromSeconds(1);

    public int HttpPort { get; } = FreePort.Next();

    public int HttpsPort { get; } = FreePort.Next();

    /// <summary>The Host a browser asks nginx for, which nginx passes on to the instances.</summary>
    public string PublicHost => $"127.0.0.1:{HttpsPort}";

    public async Task InitializeAsync()
    {
        if (TestDatabase.ProviderFromEnvironment != "Postgres")
        {
            SkipReason = "Several instances share a PostgreSQL database; SQLite is one process.";
            return;
        }

        if (!File.Exists(Nginx))
        {
            SkipReason = "Debian's nginx is not installed (tests/run.sh installs it).";
            return;
        }

        try
        {
            await StartAsync();
        }
        catch
        {
            await DisposeAsync();
            throw;
        }
    }

    private async Task StartAsync()
    {
        _work = Directory.CreateTempSubdirectory("portfolio-nginx-").FullName;
        var roots = new[] { Path.Combine(_work, "app1"), Path.Combine(_work, "app2") };
        _logFolders.AddRange(roots.Select(root => Path.Combine(root, "umbraco", "Logs")));
        var media = Directory.CreateDirectory(Path.Combine(_work, "media")).FullName;
        _database = await SampleSiteTemplate.CopyAsync(roots[0]);
        _smtp = await SmtpTestServer.StartAsync();
        var settings = PortfolioProcess.DatabaseSettings(_database).Concat(
        [
            $"--Site:PublicUrl=https://{PublicHost}",
            // compose.yaml's settings: only the proxy's forwarded headers count, media in one shared folder.
            "--ForwardedHeaders:KnownProxies:0=127.0.0.1",
            $"--Media:Folder={media}",
            "--RateLimiting:ContactWrites:PermitLimit=1000000",
            // The administrator an unattended deploy creates on its first start (whichever instance gets there first).
            $"--Backoffice:InitialAdmin:Email={BackofficeApp.AdminEmail}",
            $"--Backoffice:InitialAdmin:Password={BackofficeApp.Password}",
            "--Backoffice:InitialAdmin:DisplayName=Initial Admin",
            // Both dispatchers send through the one SMTP server, in small batches and polling often, so that they
            // compete for the same mails instead of one of them taking them all.
            "--Email:Transport=Smtp",
            $"--Email:Smtp:Host={Smtp.Host}",
            $"--Email:Smtp:Port={Smtp.Port.ToString(CultureInfo.InvariantCulture)}",
            "--Email:Smtp:UseStartTls=false",
            "--Email:Smtp:TimeoutSeconds=10",
            $"--Email:OwnerAddress={OwnerAddress}",
            "--Email:Dispatcher:PollInterval=00:00:00.200",
            "--Email:Dispatcher:BatchSize=2",
            // Both schedulers look every second; both webhook dispatchers poll often and may post to this machine.
            $"--Content:SchedulerInterval={SchedulerInterval}",
            "--Webhooks:PollInterval=00:00:00.200",
            "--Webhooks:AllowPrivateAddresses=true",
            "--Webhooks:AllowHttp=true",
        ]).ToList();

        // Both at once, as compose starts them: the start-up lock decides who migrates and creates the administrator.
        var starting = roots.Select(root =>
        {
            Directory.CreateDirectory(root);
            return PortfolioProcess.StartAsync(root, settings);
        }).ToList();
        try
        {
            await Task.WhenAll(starting);
        }
        finally
        {
            _apps.AddRange(starting.Where(start => start.IsCompletedSuccessfully).Select(start => start.Result));
        }

        _nginx = await StartNginxAsync(_work, HttpPort, HttpsPort, _apps);
        _proxy = new HttpClient(new HttpClientHandler
        {
            AllowAutoRedirect = false,
            // The throwaway certificate of this fixture.
            ServerCertificateCustomValidationCallback = HttpClientHandler.DangerousAcceptAnyServerCertificateValidator,
        })
        {
            BaseAddress = new Uri($"https://{PublicHost}"),
            Timeout = TimeSpan.FromSeconds(10),
        };
        _editor = new InProcessInstance(_database, roots[0]);
        _ = _editor.Services;
    }

    /// <summary>A plain client of one instance, bypassing nginx.</summary>
    public static HttpClient Direct(PortfolioProcess app) =>
        new(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = app.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>A new browser (no cookies yet) that reaches the instances as nginx passes its requests on.</summary>
    public BrowserBehindProxy NewBrowser() => new(PublicHost);

    public async Task DisposeAsync()
    {
        _proxy?.Dispose();
        if (_nginx is { HasExited: false })
        {
            _nginx.Kill();
            await _nginx.WaitForExitAsync();
        }

        _nginx?.Dispose();
        foreach (var app in _apps)
        {
            await app.DisposeAsync();
        }

        _apps.Clear();
        if (_editor is not null)
        {
            await _editor.DisposeAsync();
        }

        if (_smtp is not null)
        {
            await _smtp.DisposeAsync();
        }

        if (_database is not null)
        {
            await _database.DisposeAsync();
        }

        if (_work is not null)
        {
            try
            {
                Directory.Delete(_work, recursive: true);
            }
            catch (IOException)
            {
                // A log file may still be open for a moment; the temp folder is cleaned by the OS.
            }
        }
    }

    /// <summary>compose.yaml's nginx template with this run's ports and certificate, inside a minimal main config.</summary>
    /// <summary>
    /// nginx's write limits for this fixture: far above what the tests write from their one address (the failover test
    /// posts about a thousand messages in seconds), so that the app's answers are what they check.
    /// </summary>
    public static readonly WriteLimits Unlimited = new(PerMinute: 1_000_000, Burst: 100_000, SitePerSecond: 100_000, SiteBurst: 100_000);

    /// <summary>The template's write limits (compose.yaml's defaults: 6 a minute after 20, 20 a second after 100 site-wide).</summary>
    public sealed record WriteLimits(int PerMinute, int Burst, int SitePerSecond, int SiteBurst);

    /// <summary>
    /// A second nginx in front of the same two instances, with other ports and write limits (its own folder under the
    /// fixture's); stopped when the returned process is disposed after <see cref="StopNginxAsync"/>.
    /// </summary>
    public async Task<(Process Nginx, int HttpsPort)> StartAnotherNginxAsync(WriteLimits limits)
    {
        var work = Directory.CreateDirectory(Path.Combine(_work!, "nginx-" + Guid.NewGuid().ToString("N")[..8])).FullName;
        var (httpPort, httpsPort) = (FreePort.Next(), FreePort.Next());
        return (await StartNginxAsync(work, httpPort, httpsPort, _apps, limits), httpsPort);
    }

    public static async Task StopNginxAsync(Process nginx)
    {
        if (!nginx.HasExited)
        {
            nginx.Kill();
            await nginx.WaitForExitAsync();
        }

        nginx.Dispose();
    }

    private static async Task<Process> StartNginxAsync(string work, int httpPort, int httpsPort, List<PortfolioProcess> apps, WriteLimits? limits = null)
    {
        limits ??= Unlimited;
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
            ["PORTFOLIO_WRITES_PER_MINUTE"] = limits.PerMinute.ToString(CultureInfo.InvariantCulture),
            ["PORTFOLIO_WRITES_BURST"] = limits.Burst.ToString(CultureInfo.InvariantCulture),
            ["PORTFOLIO_SITE_WRITES_PER_SECOND"] = limits.SitePerSecond.ToString(CultureInfo.InvariantCulture),
            ["PORTFOLIO_SITE_WRITES_BURST"] = limits.SiteBurst.ToString(CultureInfo.InvariantCulture),
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
}

/// <summary>
/// A third instance in the test process on the fixture's database, for the tests' own reads and edits. It sends no
/// mail, posts no webhook and applies no schedule (its scheduler's round at start comes before any test schedules
/// anything): what is sent or published, the two instances behind nginx did.
/// </summary>
public sealed class InProcessInstance(TestDatabase database, string contentRoot) : WebApplicationFactory<Program>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseContentRoot(Directory.CreateDirectory(Path.Combine(contentRoot, "..", "editor")).FullName);
        builder.UseEnvironment("Testing");
        builder.UseSetting("Database:Provider", database.Provider);
        builder.UseSetting("ConnectionStrings:Portfolio", database.ConnectionString ?? "");
        builder.UseSetting("Email:Dispatcher:Enabled", "false");
        builder.UseSetting("Webhooks:Enabled", "false");
        builder.UseSetting("Content:SchedulerInterval", "01:00:00");
        builder.UseSetting("Serilog:MinimumLevel:Default", "Warning");
    }

    public async Task WithContentAsync(Func<ContentService, Task> work) =>
        await WithScopeAsync(async services =>
        {
            await work(services.GetRequiredService<ContentService>());
            return true;
        });

    public async Task<T> WithScopeAsync<T>(Func<IServiceProvider, Task<T>> work)
    {
        await using var scope = Services.CreateAsyncScope();
        return await work(scope.ServiceProvider);
    }

    public Task<T> WithDbAsync<T>(Func<PortfolioDbContext, Task<T>> work) =>
        WithScopeAsync(services => work(services.GetRequiredService<PortfolioDbContext>()));

    public Task<HashSet<string>> WithSubjectsAsync() =>
        WithDbAsync(async db => (await db.ContactMessages.Select(message => message.Subject).ToListAsync()).ToHashSet(StringComparer.Ordinal));
}

/// <summary>
/// A browser's cookies, and clients that send its requests straight to one instance as nginx passes them on: with the
/// Host the browser asked nginx for, <c>X-Forwarded-Proto: https</c> (TLS ends at nginx) and every cookie, the Secure
/// ones too (the browser sent them over HTTPS). A cookie one instance sets goes along to the other on the next request.
/// </summary>
public sealed class BrowserBehindProxy(string publicHost)
{
    private readonly Dictionary<string, string> _cookies = new(StringComparer.Ordinal);

    public bool HasCookie(string name)
    {
        lock (_cookies)
        {
            return _cookies.ContainsKey(name);
        }
    }

    /// <summary>A client of this browser for one instance; redirects are not followed (tests look at them).</summary>
    public HttpClient To(PortfolioProcess app) =>
        new(new Forwarder(this) { InnerHandler = new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false } })
        {
            BaseAddress = app.BaseAddress,
            Timeout = TimeSpan.FromSeconds(30),
        };

    private string? CookieHeader()
    {
        lock (_cookies)
        {
            return _cookies.Count == 0 ? null : string.Join("; ", _cookies.Select(cookie => $"{cookie.Key}={cookie.Value}"));
        }
    }

    /// <summary>Keeps a cookie the site set, or forgets one it deleted (empty, or expired).</summary>
    private void Store(string setCookie)
    {
        var parts = setCookie.Split(';', StringSplitOptions.TrimEntries);
        var equals = parts[0].IndexOf('=', StringComparison.Ordinal);
        if (equals <= 0)
        {
            return;
        }

        var (name, value) = (parts[0][..equals], parts[0][(equals + 1)..]);
        var expired = parts.Skip(1).Any(attribute =>
            attribute.Equals("max-age=0", StringComparison.OrdinalIgnoreCase) ||
            (attribute.StartsWith("expires=", StringComparison.OrdinalIgnoreCase) &&
             DateTimeOffset.TryParse(attribute["expires=".Length..], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var when) &&
             when < DateTimeOffset.UtcNow));
        lock (_cookies)
        {
            if (value.Length == 0 || expired)
            {
                _cookies.Remove(name);
            }
            else
            {
                _cookies[name] = value;
            }
        }
    }

    private sealed class Forwarder(BrowserBehindProxy browser) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            // What nginx's location block sets (deploy/nginx/portfolio.conf.template); this test runs on 127.0.0.1, the
            // instances' configured proxy, so they read it as they read nginx's.
            request.Headers.Host = browser.PublicHost;
            request.Headers.Add("X-Forwarded-For", "127.0.0.1");
            request.Headers.Add("X-Forwarded-Proto", "https");
            if (browser.CookieHeader() is { } cookies)
            {
                request.Headers.Add("Cookie", cookies);
            }

            var response = await base.SendAsync(request, cancellationToken);
            if (response.Headers.TryGetValues("Set-Cookie", out var setCookies))
            {
                foreach (var setCookie in setCookies)
                {
                    browser.Store(setCookie);
                }
            }

            return response;
        }
    }

    private string PublicHost => publicHost;
}
