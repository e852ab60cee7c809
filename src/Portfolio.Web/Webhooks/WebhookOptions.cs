using System.ComponentModel.DataAnnotations;
using System.Net;
using Microsoft.Extensions.Options;
using Portfolio.Web.Booking;

namespace Portfolio.Web.Webhooks;

/// <summary>The <c>Webhooks</c> configuration section: how deliveries are posted and retried, and which addresses are allowed.</summary>
public sealed class WebhookOptions
{
    public const string SectionName = "Webhooks";

    /// <summary>Whether this instance posts queued deliveries (read at start); <c>false</c> only queues them.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Fallback poll when nothing wakes the dispatcher (a committed event wakes it at once).</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    [Range(1, 500)]
    public int BatchSize { get; set; } = 20;

    /// <summary>Deliveries posted at the same time by one instance.</summary>
    [Range(1, 32)]
    public int Concurrency { get; set; } = 4;

    /// <summary>Attempts before a delivery is dead (the administrator can still send it again).</summary>
    [Range(1, 50)]
    public int MaxAttempts { get; set; } = 8;

    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromSeconds(30);

    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00")]
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How long a claimed delivery is held by one instance; longer than <see cref="Timeout"/>.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan Lease { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>One POST (connect, send, the answer's headers) that takes longer has failed.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:05:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Whether an endpoint may be on a loopback, private or link-local address. Not set: only in Development and Testing.
    /// Keep it off in production: the URL is typed by a backoffice user, and the app would post into its own network
    /// (server-side request forgery: the cloud's metadata service, an admin port on localhost).
    /// </summary>
    public bool? AllowPrivateAddresses { get; set; }

    /// <summary>Whether an endpoint may be plain http. Not set: only in Development and Testing (a signed body is still readable on the wire).</summary>
    public bool? AllowHttp { get; set; }
}

[OptionsValidator]
public sealed partial class WebhookOptionsValidator : IValidateOptions<WebhookOptions>;

/// <summary>The address rules, with the environment's defaults applied.</summary>
public sealed class WebhookAddressPolicy(IOptionsMonitor<WebhookOptions> options, IHostEnvironment environment)
{
    private bool Relaxed => environment.IsDevelopment() || environment.IsEnvironment("Testing");

    public bool AllowPrivateAddresses => options.CurrentValue.AllowPrivateAddresses ?? Relaxed;

    public bool AllowHttp => options.CurrentValue.AllowHttp ?? Relaxed;

    /// <summary>What is wrong with an endpoint URL the administrator typed, or null. DNS names are checked again at each connect.</summary>
    public string? Problem(string? url)
    {
        if (string.IsNullOrWhiteSpace(url))
        {
            return "Enter the endpoint's URL.";
        }

        if (url.Length > Webhook.UrlMaxLength || !Uri.TryCreate(url.Trim(), UriKind.Absolute, out var uri))
        {
            return "Enter an absolute URL, e.g. https://hooks.example.com/portfolio.";
        }

        if (uri.Scheme != Uri.UriSchemeHttps && !(uri.Scheme == Uri.UriSchemeHttp && AllowHttp))
        {
            return "The URL must start with https:// (the events are sent with their signature; plain http is allowed only in development).";
        }

        if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            return "Leave the user name and password out of the URL: deliveries are signed instead.";
        }

        if (!AllowPrivateAddresses && (uri.IsLoopback || (IPAddress.TryParse(uri.DnsSafeHost, out var address) && BusyCalendarFetcher.IsPrivate(address))))
        {
            return "The URL points into a private network (localhost, 10.x, 192.168.x, 169.254.x …), which the site does not post to (see Webhooks:AllowPrivateAddresses).";
        }

        return null;
    }
}
