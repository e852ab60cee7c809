using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Options;
using Portfolio.Web.Booking;
using Portfolio.Web.Data;
using Portfolio.Web.Infrastructure;

namespace Portfolio.Web.Webhooks;

/// <summary>
/// Posts the queued deliveries. Claims due rows with a lease (several instances share the work), signs and posts each
/// (a 2xx answer is delivered, anything else a failed attempt), records every attempt, retries with exponential backoff
/// and jitter, and marks a delivery dead after its last attempt. Woken after a commit; polls as a fallback. A crash
/// leaves claimed rows whose lease runs out, and the next run posts them: delivery is at least once, and the
/// <c>webhook-id</c> stays the same so a receiver can drop a repeat.
/// </summary>
public sealed partial class WebhookDispatcher(
    IServiceScopeFactory scopes,
    IHttpClientFactory clients,
    WebhookSecrets secrets,
    WebhookDispatchSignal signal,
    TimeProvider clock,
    IOptionsMonitor<WebhookOptions> options,
    ILogger<WebhookDispatcher> logger) : BackgroundService
{
    public const string ClientName = "webhooks";

    private readonly string _instance = $"{Truncate(Environment.MachineName, 40)}/{Environment.ProcessId}/{Guid.NewGuid():N}";

    private static string Truncate(string value, int length) => value.Length <= length ? value : value[..length];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.CurrentValue.Enabled)
        {
            LogDisabled(logger);
            return;
        }

        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var claimed = 0;
                try
                {
                    claimed = await DispatchDueAsync(stoppingToken);
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    break;
                }
                catch (Exception exception)
                {
                    LogRunFailed(logger, exception);
                }

                if (claimed >= options.CurrentValue.BatchSize)
                {
                    continue; // A full batch: more may be waiting.
                }

                try
                {
                    await signal.WaitAsync(options.CurrentValue.PollInterval, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }
        finally
        {
            await ReleaseClaimsAsync();
        }
    }

    /// <summary>On a graceful stop, gives back the leases of deliveries claimed but not posted, so they go now elsewhere.</summary>
    private async Task ReleaseClaimsAsync()
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await using var scope = scopes.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<WebhookStore>().ReleaseAsync(_instance, timeout.Token);
        }
        catch (Exception exception)
        {
            // The database is away too: the leases run out on their own.
            LogReleaseFailed(logger, exception.GetBaseException().Message);
        }
    }

    /// <summary>Claims and posts one batch of due deliveries; returns how many were claimed.</summary>
    public async Task<int> DispatchDueAsync(CancellationToken cancellationToken)
    {
        var settings = options.CurrentValue;
        List<long> claimed;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var now = clock.GetUtcNow().UtcDateTime;
            claimed = await scope.ServiceProvider.GetRequiredService<WebhookStore>()
                .ClaimAsync(_instance, now, now + settings.Lease, settings.BatchSize, cancellationToken);
        }

        // A slow endpoint holds up only its own lane.
        await Parallel.ForEachAsync(claimed, new ParallelOptions { MaxDegreeOfParallelism = settings.Concurrency, CancellationToken = cancellationToken },
            async (id, token) => await PostOneAsync(id, settings, token));
        return claimed.Count;
    }

    private async Task PostOneAsync(long id, WebhookOptions settings, CancellationToken cancellationToken)
    {
        using var activity = PortfolioTelemetry.ActivitySource.StartActivity("post webhook");
        await using var scope = scopes.CreateAsyncScope();
        var store = scope.ServiceProvider.GetRequiredService<WebhookStore>();
        // Renewed right before the post, so the lease has to outlast one post only (see EmailDispatcher).
        if (!await store.RenewLeaseAsync(id, _instance, clock.GetUtcNow().UtcDateTime + settings.Lease, cancellationToken))
        {
            return;
        }

        if (await store.FindLeasedAsync(id, _instance, cancellationToken) is not var (delivery, webhook) || delivery.Status != WebhookDeliveryStatus.Pending)
        {
            return;
        }

        activity?.SetTag("portfolio.webhook.event", delivery.EventType);
        var started = clock.GetUtcNow();
        var stopwatch = Stopwatch.StartNew();
        int? statusCode = null;
        string? error = null;
        if (!webhook.Enabled)
        {
            error = "The webhook is disabled.";
        }
        else
        {
            try
            {
                // Not cancelled by a stopping host (Webhooks:Timeout bounds it): cut off midway, a post the endpoint
                // took would stay undelivered on record and go again.
                statusCode = await PostAsync(webhook, delivery, started, settings.Timeout);
                if (statusCode is < 200 or > 299)
                {
                    error = string.Create(CultureInfo.InvariantCulture, $"The endpoint answered {statusCode} {ReasonOf(statusCode.Value)}.");
                }
            }
            catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                error = Describe(exception, settings.Timeout);
            }
        }

        delivery.Attempts++;
        var attempt = new WebhookDeliveryAttempt
        {
            DeliveryId = delivery.Id,
            Number = delivery.Attempts,
            StartedUtc = started.UtcDateTime,
            DurationMs = stopwatch.Elapsed.TotalMilliseconds,
            StatusCode = statusCode,
            Succeeded = error is null,
            Error = error,
        };
        delivery.LockedUntilUtc = null;
        delivery.LockedBy = null;
        delivery.LastStatusCode = statusCode;
        delivery.LastError = error;
        if (error is null)
        {
            delivery.Status = WebhookDeliveryStatus.Delivered;
            delivery.DeliveredUtc = clock.GetUtcNow().UtcDateTime;
            LogDelivered(logger, delivery.Id, delivery.EventType, webhook.Id, delivery.Attempts);
        }
        else if (delivery.Attempts >= settings.MaxAttempts)
        {
            delivery.Status = WebhookDeliveryStatus.Dead;
            LogDead(logger, delivery.Id, delivery.EventType, webhook.Id, delivery.Attempts, error);
            activity?.SetStatus(ActivityStatusCode.Error, error);
        }
        else
        {
            var delay = Backoff(settings, delivery.Attempts);
            delivery.NextAttemptUtc = clock.GetUtcNow().UtcDateTime + delay;
            LogRetry(logger, delivery.Id, delivery.EventType, webhook.Id, delivery.Attempts, delay.TotalSeconds, error);
            activity?.SetStatus(ActivityStatusCode.Error, error);
        }

        // Recorded even when the host is stopping, or a delivered event would go again.
        await store.RecordAttemptAsync(attempt, CancellationToken.None);
    }

    private async Task<int> PostAsync(Webhook webhook, WebhookDelivery delivery, DateTimeOffset now, TimeSpan timeout)
    {
        var secret = secrets.Unprotect(webhook.ProtectedSecret);
        using var request = new HttpRequestMessage(HttpMethod.Post, webhook.Url)
        {
            Content = new StringContent(delivery.Payload, Encoding.UTF8, "application/json"),
        };
        // Standard Webhooks' headers: the id stays the same for every attempt; the timestamp and signature are this attempt's.
        request.Headers.Add("webhook-id", delivery.EventId);
        request.Headers.Add("webhook-timestamp", now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
        request.Headers.Add("webhook-signature", WebhookSecrets.Sign(secret, delivery.EventId, now, delivery.Payload));
        using var cancel = new CancellationTokenSource(timeout);
        var client = clients.CreateClient(ClientName);
        // Only the status counts: the answer's body is not read.
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancel.Token);
        return (int)response.StatusCode;
    }

    /// <summary>Exponential backoff with "equal jitter": half fixed, half random, capped.</summary>
    internal static TimeSpan Backoff(WebhookOptions settings, int attempts)
    {
        var exponential = settings.BaseDelay.TotalSeconds * Math.Pow(2, Math.Min(attempts - 1, 20));
        var capped = Math.Min(exponential, settings.MaxDelay.TotalSeconds);
        return TimeSpan.FromSeconds((capped / 2) + (Random.Shared.NextDouble() * capped / 2));
    }

    private static string ReasonOf(int statusCode) =>
        Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(statusCode) is { Length: > 0 } reason ? $"({reason})" : "";

    /// <summary>What the administrator sees of a failure: the message, never a stack trace; capped for the column.</summary>
    private static string Describe(Exception exception, TimeSpan timeout)
    {
        var text = exception switch
        {
            TaskCanceledException or OperationCanceledException => $"No answer within {timeout.TotalSeconds:0.#} s (Webhooks:Timeout).",
            System.Security.Cryptography.CryptographicException => "The signing secret cannot be read (the app's Data Protection keys changed): make a new secret.",
            _ => exception.InnerException is null ? exception.Message : $"{exception.Message} ({exception.InnerException.Message})",
        };
        return text.Length <= 2000 ? text : text[..2000];
    }

    /// <summary>
    /// The named client's handler: no proxy (it would connect for us, past the address check), no cookies, no redirects
    /// (a 3xx is a failed attempt: a receiver that moved is told so, and a redirect cannot lead the post anywhere).
    /// </summary>
    public static SocketsHttpHandler CreateHandler(WebhookAddressPolicy policy) => new()
    {
        UseProxy = false,
        UseCookies = false,
        AllowAutoRedirect = false,
        ConnectTimeout = TimeSpan.FromSeconds(10),
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        ConnectCallback = (context, cancellationToken) => ConnectAsync(context, policy.AllowPrivateAddresses, cancellationToken),
    };

    /// <summary>Connects only to addresses the policy allows, checked after DNS: a public name may resolve to a private address.</summary>
    private static async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, bool allowPrivate, CancellationToken cancellationToken)
    {
        var addresses = await Dns.GetHostAddressesAsync(context.DnsEndPoint.Host, cancellationToken);
        var allowed = addresses.Where(address => allowPrivate || !BusyCalendarFetcher.IsPrivate(address)).ToArray();
        if (allowed.Length == 0)
        {
            throw new IOException("The endpoint's address is in a private network, which the site does not post to (see Webhooks:AllowPrivateAddresses).");
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(allowed, context.DnsEndPoint.Port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    [LoggerMessage(EventId = 1100, Level = LogLevel.Information, Message = "Webhook dispatcher disabled (Webhooks:Enabled is false): deliveries stay queued")]
    private static partial void LogDisabled(ILogger logger);

    [LoggerMessage(EventId = 1101, Level = LogLevel.Information, Message = "Webhook delivery {DeliveryId} ({EventType}) to {WebhookId} delivered on attempt {Attempt}")]
    private static partial void LogDelivered(ILogger logger, long deliveryId, string eventType, Guid webhookId, int attempt);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Warning, Message = "Webhook delivery {DeliveryId} ({EventType}) to {WebhookId} failed attempt {Attempt}, retrying in {DelaySeconds:0} s: {Error}")]
    private static partial void LogRetry(ILogger logger, long deliveryId, string eventType, Guid webhookId, int attempt, double delaySeconds, string error);

    [LoggerMessage(EventId = 1103, Level = LogLevel.Error, Message = "Webhook delivery {DeliveryId} ({EventType}) to {WebhookId} is dead after {Attempt} attempts: {Error}")]
    private static partial void LogDead(ILogger logger, long deliveryId, string eventType, Guid webhookId, int attempt, string error);

    [LoggerMessage(EventId = 1104, Level = LogLevel.Warning, Message = "Webhook dispatcher run failed; trying again at the next poll")]
    private static partial void LogRunFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 1105, Level = LogLevel.Warning, Message = "Webhook dispatcher stopping: claimed deliveries not released ({Reason}); their lease runs out on its own")]
    private static partial void LogReleaseFailed(ILogger logger, string reason);
}
