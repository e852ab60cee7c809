using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Portfolio.Tests.Infrastructure;
using Portfolio.Web.Data;
using Portfolio.Web.Email;

namespace Portfolio.Tests.Email;

/// <summary>
/// The app sending through a real SMTP server (aiosmtpd): the one tests/run.sh started, or a private one.
/// Configured with the documented keys: <c>Email:Transport=Smtp</c>, <c>Email:Smtp:Host/Port</c>, and no
/// STARTTLS, which the local test server does not offer.
/// </summary>
public class SmtpPortfolioApp : UnthrottledPortfolioApp
{
    private SmtpTestServer? _smtp;

    public SmtpTestServer Smtp => _smtp ?? throw new InvalidOperationException("The SMTP server starts with the app.");

    protected override async Task BeforeAppStartsAsync() => _smtp = await StartSmtpAsync();

    /// <summary>The shared server of tests/run.sh, or a private one.</summary>
    protected virtual Task<SmtpTestServer> StartSmtpAsync() => SmtpTestServer.SharedOrStartAsync();

    protected override async Task AfterAppStoppedAsync()
    {
        if (_smtp is not null)
        {
            await _smtp.DisposeAsync();
        }
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Email:Transport", "Smtp");
        builder.UseSetting("Email:Smtp:Host", Smtp.Host);
        builder.UseSetting("Email:Smtp:Port", Smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("Email:Smtp:UseStartTls", "false");
        builder.UseSetting("Email:Smtp:TimeoutSeconds", "10");
    }

    /// <summary>Polls until <paramref name="done"/> holds for what <paramref name="read"/> returns (the dispatcher works in the background).</summary>
    public static async Task<T> WaitUntilAsync<T>(Func<Task<T>> read, Func<T, bool> done, TimeSpan? timeout = null)
    {
        // Generous: it returns as soon as the state is reached, and a busy CI machine can be slow.
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        while (true)
        {
            var value = await read();
            if (done(value))
            {
                return value;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"The outbox did not reach the expected state in time; last seen: {Describe(value)}");
            }

            await Task.Delay(50);
        }
    }

    /// <summary>The mails whose recipient or Reply-To is this address (a client's mail and the owner's notification about them).</summary>
    public Task<List<EmailOutboxMessage>> MailsAboutAsync(string email) =>
        WithScopeAsync(services => services.GetRequiredService<PortfolioDbContext>().EmailOutbox.AsNoTracking()
            .Include(mail => mail.DeliveryAttempts)
            .Where(mail => mail.ToAddress == email || mail.ReplyTo == email)
            .OrderBy(mail => mail.Id)
            .ToListAsync());

    private static string Describe(object? value) => value switch
    {
        EmailOutboxMessage mail => $"{mail.MessageId} {mail.Status}, {mail.Attempts} attempt(s), last error: {mail.LastError}",
        IEnumerable<EmailOutboxMessage> mails => string.Join("; ", mails.Select(Describe)),
        _ => value?.ToString() ?? "nothing",
    };
}

/// <summary>
/// The SMTP app whose server address can be switched while it runs: first at a port where nothing listens
/// (SMTP down), then at the real server (back up). Retries are driven by the test: the background
/// dispatcher only runs when new mail wakes it (the fallback poll is an hour), the test moves the clock
/// past <c>NextAttemptUtc</c> and calls <see cref="EmailDispatcher.DispatchDueAsync"/>.
/// </summary>
public class SwitchableSmtpPortfolioApp : SmtpPortfolioApp
{
    public const int MaxAttempts = 3;

    private volatile string _host = "127.0.0.1";
    private volatile int _port;

    /// <summary>A loopback port nobody listens on: connecting is refused at once.</summary>
    public int ClosedPort { get; } = FreePort.Next();

    public EmailDispatcher Dispatcher => Services.GetRequiredService<EmailDispatcher>();

    public void PointAtClosedPort() => PointAt("127.0.0.1", ClosedPort);

    public void PointAtServer() => PointAt(Smtp.Host, Smtp.Port);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        _port = ClosedPort;
        builder.UseSetting("Email:Dispatcher:MaxAttempts", MaxAttempts.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("Email:Dispatcher:PollInterval", "01:00:00");
        builder.ConfigureTestServices(services => services.PostConfigure<EmailOptions>(options =>
        {
            options.Smtp.Host = _host;
            options.Smtp.Port = _port;
        }));
    }

    private void PointAt(string host, int port)
    {
        _host = host;
        _port = port;
        // The transport reads IOptionsMonitor.CurrentValue per mail: dropping the cached value makes it read the new address.
        Services.GetRequiredService<IOptionsMonitorCache<EmailOptions>>().Clear();
    }
}
