using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portfolio.Web.Booking;
using Portfolio.Web.Data;
using Portfolio.Web.Infrastructure;

namespace Portfolio.Web.Email;

/// <summary>
/// Sends the outbox. Claims due rows with a lease (PostgreSQL: <c>FOR UPDATE SKIP LOCKED</c>, so several
/// instances share the work without sending a mail twice), hands each to <see cref="IMailTransport"/>,
/// records every attempt, retries with exponential backoff and jitter, and marks a mail dead after its
/// last attempt. Woken right after a commit; polls as a fallback. Nothing is held only in memory: a
/// crash leaves claimed rows whose lease runs out, and the next run sends them.
/// </summary>
public sealed partial class EmailDispatcher(
    IServiceScopeFactory scopes,
    IMailTransport transport,
    MimeMessageFactory messages,
    EmailDispatchSignal signal,
    TimeProvider clock,
    IOptionsMonitor<EmailOptions> options,
    PortfolioMetrics metrics,
    ILogger<EmailDispatcher> logger) : BackgroundService
{
    /// <summary>Who holds a lease: this process on this machine (fits the 100-character column).</summary>
    private readonly string _instance = $"{Truncate(Environment.MachineName, 40)}/{Environment.ProcessId}/{Guid.NewGuid():N}";

    private static string Truncate(string value, int length) => value.Length <= length ? value : value[..length];

    /// <summary>Mails whose last attempt failed because the server could not be reached: due again once it answers.</summary>
    private readonly ConcurrentDictionary<long, byte> _waitingForServer = new();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.CurrentValue.Dispatcher.Enabled)
        {
            LogDisabled(logger);
            return;
        }

        LogStarted(logger, transport.GetType().Name);
        var configured = options.CurrentValue;
        if (configured.EffectiveTransport == EmailTransportKind.Smtp
            && configured.Dispatcher.Lease <= TimeSpan.FromSeconds(configured.Smtp.TimeoutSeconds))
        {
            LogShortLease(logger, configured.Dispatcher.Lease.TotalSeconds, configured.Smtp.TimeoutSeconds);
        }

        try
        {
            await RunAsync(stoppingToken);
        }
        finally
        {
            await ReleaseClaimsAsync();
        }
    }

    private async Task RunAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var sent = 0;
            try
            {
                if (!_waitingForServer.IsEmpty)
                {
                    await ReleaseWhenServerAnswersAsync(stoppingToken);
                }

                sent = await DispatchDueAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception exception)
            {
                LogRunFailed(logger, exception);
            }

            if (sent >= options.CurrentValue.Dispatcher.BatchSize)
            {
                continue; // A full batch: more may be waiting.
            }

            // While the server is away the probe's interval, else the poll's (a commit wakes it earlier either way).
            var wait = _waitingForServer.IsEmpty
                ? options.CurrentValue.Dispatcher.PollInterval
                : TimeSpan.FromTicks(Math.Min(options.CurrentValue.Dispatcher.PollInterval.Ticks, options.CurrentValue.Dispatcher.ProbeInterval.Ticks));
            if (!await SleepAsync(wait, stoppingToken))
            {
                break;
            }
        }
    }

    private async Task<bool> SleepAsync(TimeSpan wait, CancellationToken stoppingToken)
    {
        try
        {
            await signal.WaitAsync(wait, stoppingToken);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>
    /// Probes the server after sends failed because it could not be reached. When it answers, the mails that failed
    /// meanwhile are due at once: without this they would wait out their backoff (up to Email:Dispatcher:MaxDelay)
    /// although the server is back. New mail is tried as usual meanwhile (it fails fast while the server is away).
    /// </summary>
    private async Task ReleaseWhenServerAnswersAsync(CancellationToken stoppingToken)
    {
        try
        {
            await transport.ProbeAsync(stoppingToken);
        }
        catch (Exception exception) when (transport.IsUnreachable(exception) && !stoppingToken.IsCancellationRequested)
        {
            return; // Still away.
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // It answered, if only with an error (to NOOP, or the login): the waiting mails are worth trying now.
        }

        var ids = _waitingForServer.Keys.ToList();
        await using var scope = scopes.CreateAsyncScope();
        var due = await scope.ServiceProvider.GetRequiredService<OutboxStore>().DueNowAsync(ids, clock.GetUtcNow().UtcDateTime, stoppingToken);
        foreach (var id in ids)
        {
            _waitingForServer.TryRemove(id, out _);
        }

        LogServerBack(logger, due);
    }

    /// <summary>
    /// On a graceful stop, gives back the leases of mails claimed but not sent, so that they go now (from another
    /// instance, or this one restarted) instead of after the lease (Email:Dispatcher:Lease) runs out.
    /// </summary>
    private async Task ReleaseClaimsAsync()
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await using var scope = scopes.CreateAsyncScope();
            var released = await scope.ServiceProvider.GetRequiredService<OutboxStore>().ReleaseAsync(_instance, timeout.Token);
            if (released > 0)
            {
                LogReleased(logger, released);
            }
        }
        catch (Exception exception)
        {
            // The database is away too: the leases run out on their own.
            LogReleaseFailed(logger, exception.GetBaseException().Message);
        }
    }

    /// <summary>Claims and sends one batch of due mail; returns how many were claimed.</summary>
    public async Task<int> DispatchDueAsync(CancellationToken cancellationToken)
    {
        var settings = options.CurrentValue.Dispatcher;
        var claimed = await ClaimAsync(settings, cancellationToken);
        if (claimed.Count > 0)
        {
            // Up to Concurrency lanes, each with one transport session (one SMTP connection) taking the next mail of the
            // batch when it is done with the last: a slow mail holds up only its own lane.
            var queue = new ConcurrentQueue<long>(claimed);
            var lanes = Enumerable.Range(0, Math.Min(settings.Concurrency, claimed.Count))
                .Select(_ => SendLaneAsync(queue, settings, cancellationToken));
            await Task.WhenAll(lanes);
        }

        await CountOutboxAsync(queueChanged: claimed.Count > 0, cancellationToken);
        return claimed.Count;
    }

    private async Task SendLaneAsync(ConcurrentQueue<long> queue, DispatcherOptions settings, CancellationToken cancellationToken)
    {
        await using var session = transport.OpenSession();
        // A stopping host takes no further mail of the batch (the rest is released); the send under way finishes.
        while (!cancellationToken.IsCancellationRequested && queue.TryDequeue(out var id))
        {
            await SendOneAsync(id, session, settings, cancellationToken);
        }
    }

    /// <summary>The outbox gauges' figures, when a listener wants them (see <see cref="PortfolioMetrics.OutboxFiguresInterval"/>).</summary>
    private async Task CountOutboxAsync(bool queueChanged, CancellationToken cancellationToken)
    {
        if (!metrics.OutboxFiguresWanted(queueChanged))
        {
            return;
        }

        await using var scope = scopes.CreateAsyncScope();
        var (queued, oldest) = await scope.ServiceProvider.GetRequiredService<OutboxStore>().FiguresAsync(cancellationToken);
        metrics.RecordOutbox(queued, oldest);
    }

    private async Task<List<long>> ClaimAsync(DispatcherOptions settings, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var now = clock.GetUtcNow().UtcDateTime;
        return await scope.ServiceProvider.GetRequiredService<OutboxStore>()
            .ClaimAsync(_instance, now, now + settings.Lease, settings.BatchSize, cancellationToken);
    }

    private async Task SendOneAsync(long id, IMailSession session, DispatcherOptions settings, CancellationToken cancellationToken)
    {
        // A trace of its own, as no request carries this work: the lease's renewal, the send and the outcome's write.
        using var activity = PortfolioTelemetry.ActivitySource.StartActivity("send mail");
        await using var scope = scopes.CreateAsyncScope();
        var store = scope.ServiceProvider.GetRequiredService<OutboxStore>();

        // The batch's lease was taken when it was claimed; mails further down a batch wait behind the ones before
        // them (a slow or hanging SMTP server can take its whole timeout for each). Renewing the lease right before
        // each send means it only has to outlast one send: once it runs out another instance may take the mail, and
        // it would go twice. The renewal is conditional, so a mail whose lease already went to someone else is left alone.
        if (!await store.RenewLeaseAsync(id, _instance, clock.GetUtcNow().UtcDateTime + settings.Lease, cancellationToken))
        {
            return;
        }

        var mail = await store.FindLeasedAsync(id, _instance, cancellationToken);
        if (mail is null || mail.Status != EmailStatus.Pending)
        {
            return; // Someone else's lease took over, or it was handled meanwhile.
        }

        activity?.SetTag("portfolio.mail.kind", mail.Kind);

        var started = clock.GetUtcNow().UtcDateTime;
        var stopwatch = Stopwatch.StartNew();
        string? error = null;
        try
        {
            // Not cancelled by a stopping host (Email:Smtp:TimeoutSeconds bounds it): cut off midway, a mail the server
            // already took would stay unsent on record and go twice.
            await session.SendAsync(messages.Create(mail), CancellationToken.None);
        }
        catch (Exception exception)
        {
            error = Describe(exception);
            if (transport.IsUnreachable(exception))
            {
                _waitingForServer[mail.Id] = 0;
            }
        }

        mail.Attempts++;
        var attempt = new EmailDeliveryAttempt
        {
            EmailId = mail.Id,
            Number = mail.Attempts,
            StartedUtc = started,
            DurationMs = stopwatch.Elapsed.TotalMilliseconds,
            Succeeded = error is null,
            Error = error,
        };
        mail.LockedUntilUtc = null;
        mail.LockedBy = null;
        MailOutcome outcome;
        if (error is null)
        {
            outcome = MailOutcome.Sent;
            mail.Status = EmailStatus.Sent;
            mail.SentUtc = clock.GetUtcNow().UtcDateTime;
            mail.LastError = null;
            ForgetManageLinks(mail);
            LogSent(logger, mail.Id, mail.Kind, mail.MessageId, mail.Attempts);
        }
        else if (mail.Attempts >= settings.MaxAttempts)
        {
            outcome = MailOutcome.Dead;
            mail.Status = EmailStatus.Dead;
            mail.LastError = error;
            LogDead(logger, mail.Id, mail.Kind, mail.Attempts, error);
        }
        else
        {
            outcome = MailOutcome.Failed;
            var delay = Backoff(settings, mail.Attempts);
            mail.NextAttemptUtc = clock.GetUtcNow().UtcDateTime + delay;
            mail.LastError = error;
            LogRetry(logger, mail.Id, mail.Kind, mail.Attempts, delay.TotalSeconds, error);
        }

        if (error is not null)
        {
            activity?.SetStatus(ActivityStatusCode.Error, error);
        }

        // The outcome must be recorded even when the host is stopping, or a sent mail would go again.
        await RecordOutcomeAsync(store, attempt, settings);
        metrics.MailAttempted(mail.Kind, outcome);
    }

    /// <summary>
    /// Writes a send's outcome, trying again while the database is briefly away (a restart takes seconds): given up, the
    /// mail would stay leased as unsent and go a second time when the lease runs out. Tries for half the lease at most,
    /// so that the lease still covers the mail while it does. Not cancelled by a stopping host, for the same reason.
    /// </summary>
    private async Task RecordOutcomeAsync(OutboxStore store, EmailDeliveryAttempt attempt, DispatcherOptions settings)
    {
        // Real time, not the app's clock: this waits for a server to come back.
        var trying = Stopwatch.StartNew();
        var pause = TimeSpan.FromMilliseconds(250);
        while (true)
        {
            try
            {
                // The context still tracks the changes after a failed save, so saving again writes them all.
                await store.RecordAttemptAsync(attempt, CancellationToken.None);
                return;
            }
            catch (Exception exception) when (DatabaseErrors.IsUnavailable(exception) && trying.Elapsed < settings.Lease / 2)
            {
                LogOutcomeRetry(logger, attempt.EmailId, exception.GetBaseException().Message);
                await Task.Delay(pause);
                pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, TimeSpan.FromSeconds(5).Ticks));
            }
        }
    }

    /// <summary>Exponential backoff with "equal jitter": half fixed, half random, capped.</summary>
    internal static TimeSpan Backoff(DispatcherOptions settings, int attempts)
    {
        var exponential = settings.BaseDelay.TotalSeconds * Math.Pow(2, Math.Min(attempts - 1, 20));
        var capped = Math.Min(exponential, settings.MaxDelay.TotalSeconds);
        return TimeSpan.FromSeconds((capped / 2) + (Random.Shared.NextDouble() * capped / 2));
    }

    /// <summary>
    /// A booking's manage link (<see cref="ManageLinks"/>) is kept in the client's mail only until the mail is sent: from
    /// then on the outbox row is the owner's record of what went out, and the link's token would only be one more copy of
    /// a secret there. A dead mail keeps it: it has not been sent, and "retry now" must still send a working link.
    /// </summary>
    internal static void ForgetManageLinks(EmailOutboxMessage mail)
    {
        mail.TextBody = ManageLinks.Redact(mail.TextBody);
        mail.HtmlBody = ManageLinks.Redact(mail.HtmlBody);
        mail.Calendar = mail.Calendar is null ? null : ManageLinks.RedactCalendar(mail.Calendar);
    }

    /// <summary>
    /// What the owner sees of a failure: the message, never a stack trace; capped for the column. Without manage tokens:
    /// a mail server that refuses a mail for a link in it (a URL block list) may quote the link.
    /// </summary>
    private static string Describe(Exception exception)
    {
        var text = exception.InnerException is null ? exception.Message : $"{exception.Message} ({exception.InnerException.Message})";
        text = ManageLinks.Redact(text);
        return text.Length <= 2000 ? text : text[..2000];
    }

    [LoggerMessage(EventId = 500, Level = LogLevel.Information, Message = "Mail dispatcher started with the {Transport}")]
    private static partial void LogStarted(ILogger logger, string transport);

    [LoggerMessage(EventId = 505, Level = LogLevel.Information, Message = "Mail dispatcher disabled (Email:Dispatcher:Enabled is false): mail stays queued for an instance that sends it")]
    private static partial void LogDisabled(ILogger logger);

    [LoggerMessage(EventId = 501, Level = LogLevel.Information, Message = "Mail {EmailId} ({Kind}) sent as {MessageId} on attempt {Attempt}")]
    private static partial void LogSent(ILogger logger, long emailId, string kind, string messageId, int attempt);

    [LoggerMessage(EventId = 502, Level = LogLevel.Warning, Message = "Mail {EmailId} ({Kind}) failed attempt {Attempt}, retrying in {DelaySeconds:0} s: {Error}")]
    private static partial void LogRetry(ILogger logger, long emailId, string kind, int attempt, double delaySeconds, string error);

    [LoggerMessage(EventId = 503, Level = LogLevel.Error, Message = "Mail {EmailId} ({Kind}) is dead after {Attempt} attempts: {Error}")]
    private static partial void LogDead(ILogger logger, long emailId, string kind, int attempt, string error);

    [LoggerMessage(EventId = 506, Level = LogLevel.Warning,
        Message = "Email:Dispatcher:Lease ({LeaseSeconds:0} s) does not outlast one SMTP send (Email:Smtp:TimeoutSeconds, {TimeoutSeconds} s): with several instances a slow mail may be sent twice")]
    private static partial void LogShortLease(ILogger logger, double leaseSeconds, int timeoutSeconds);

    [LoggerMessage(EventId = 507, Level = LogLevel.Information, Message = "Mail server answers again: {Count} waiting mail(s) due now")]
    private static partial void LogServerBack(ILogger logger, int count);

    [LoggerMessage(EventId = 508, Level = LogLevel.Information, Message = "Mail dispatcher stopping: released {Count} claimed mail(s) it had not sent")]
    private static partial void LogReleased(ILogger logger, int count);

    [LoggerMessage(EventId = 509, Level = LogLevel.Warning, Message = "Mail dispatcher stopping: claimed mails not released ({Reason}); their lease runs out on its own")]
    private static partial void LogReleaseFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 510, Level = LogLevel.Warning, Message = "Outcome of mail {EmailId} not written yet, the database is away ({Reason}); trying again")]
    private static partial void LogOutcomeRetry(ILogger logger, long emailId, string reason);

    [LoggerMessage(EventId = 504, Level = LogLevel.Warning, Message = "Mail dispatcher run failed; trying again at the next poll")]
    private static partial void LogRunFailed(ILogger logger, Exception exception);
}
