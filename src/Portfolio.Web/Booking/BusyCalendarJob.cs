using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portfolio.Web.Content;
using Portfolio.Web.Data;

namespace Portfolio.Web.Booking;

/// <summary>
/// Fetches the experts' calendar feeds that are due and stores each good copy's busy times. A feed is claimed before it
/// is fetched (<see cref="BusyCalendarStore.TryClaimAsync"/>), so that with several instances each feed is fetched once.
/// A failed fetch keeps the last good copy in use and records the error for the owner; booking never waits on a feed.
/// </summary>
public sealed partial class BusyCalendarRefresher(
    BusyCalendarStore store,
    BusyCalendarFetcher fetcher,
    PublishedContentCache content,
    IOptionsMonitor<BusyCalendarOptions> options,
    TimeProvider clock,
    ILogger<BusyCalendarRefresher> logger)
{
    /// <summary>
    /// A 304 keeps the stored busy times, which were expanded over the booking horizon when the copy was read. As days
    /// pass the horizon moves on, so after this long a full copy is asked for again (no validators sent).
    /// </summary>
    public static readonly TimeSpan FullCopyAge = TimeSpan.FromDays(1);

    /// <summary>Fetches every due feed this instance can claim; returns how many it fetched.</summary>
    public async Task<int> RefreshDueAsync(CancellationToken cancellationToken)
    {
        var done = 0;
        foreach (var key in await store.DueAsync(Now, cancellationToken))
        {
            var now = Now;
            var settings = options.CurrentValue;
            // The lease outlives the fetch's own time limit, so it is never taken over while this instance still works.
            if (!await store.TryClaimAsync(key, now, now + settings.Timeout * 2 + TimeSpan.FromMinutes(1), cancellationToken))
            {
                continue;
            }

            await RefreshAsync(key, cancellationToken);
            done++;
        }

        return done;
    }

    private async Task RefreshAsync(Guid expertKey, CancellationToken cancellationToken)
    {
        var loaded = await store.LoadAsync(expertKey, cancellationToken);
        if (loaded is not { } row)
        {
            return; // Removed meanwhile.
        }

        var (feed, url) = row;
        var now = Now;
        var next = now + options.CurrentValue.Interval;
        try
        {
            if (url is null)
            {
                await store.SaveFailureAsync(feed, "The saved calendar address can no longer be read (the site's keys changed). Enter it again.", now, next, cancellationToken);
                return;
            }

            var snapshot = await content.GetAsync(cancellationToken);
            var expert = snapshot.List<ExpertProfile>().FirstOrDefault(item => item.Key == expertKey)?.Document as ExpertProfile;
            var availability = expert?.Availability ?? new Availability();
            var fresh = feed.ParsedUtc is { } parsed && now - parsed < FullCopyAge;
            var result = await fetcher.FetchAsync(url, fresh ? feed.ETag : null, fresh ? feed.LastModified : null, cancellationToken);
            switch (result)
            {
                case FeedFetch.NotModified:
                    await store.SaveNotModifiedAsync(feed, now, next, cancellationToken);
                    break;
                case FeedFetch.Fetched fetched:
                    List<BusyRange> busy;
                    try
                    {
                        // The window covers every slot that can be offered until the next full copy, with a day to spare.
                        busy = BusyCalendarParser.Parse(fetched.Text, TimeZones.Get(availability.TimeZone), now.AddDays(-1),
                            now.AddDays(availability.HorizonDays) + FullCopyAge + options.CurrentValue.Interval + TimeSpan.FromDays(1));
                    }
                    catch (FormatException exception)
                    {
                        await store.SaveFailureAsync(feed, exception.Message + " The last good copy stays in use.", now, next, cancellationToken);
                        LogFailed(logger, expertKey, exception.Message);
                        return;
                    }

                    feed.ETag = fetched.ETag;
                    feed.LastModified = fetched.LastModified;
                    await store.SaveCopyAsync(feed, busy, now, next, cancellationToken);
                    LogFetched(logger, expertKey, busy.Count);
                    break;
                case FeedFetch.Failed failed:
                    await store.SaveFailureAsync(feed, failed.Error, now, next, cancellationToken);
                    LogFailed(logger, expertKey, failed.Error);
                    break;
            }
        }
        catch (DbUpdateConcurrencyException)
        {
            // The owner removed the feed while it was fetched: nothing to record.
        }
    }

    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    // The URL is never logged: it is the calendar's secret. The expert's key and the error in words are enough.
    [LoggerMessage(EventId = 620, Level = LogLevel.Information, Message = "Busy calendar of expert {ExpertKey} fetched: {Count} busy time(s)")]
    private static partial void LogFetched(ILogger logger, Guid expertKey, int count);

    [LoggerMessage(EventId = 621, Level = LogLevel.Warning, Message = "Busy calendar of expert {ExpertKey} not refreshed: {Error}")]
    private static partial void LogFailed(ILogger logger, Guid expertKey, string error);
}

/// <summary>Runs <see cref="BusyCalendarRefresher"/> every <see cref="BusyCalendarOptions.Interval"/> (a saved URL wakes it at once).</summary>
public sealed partial class BusyCalendarJob(IServiceScopeFactory scopes, SharedJobLock jobLock, IOptionsMonitor<BusyCalendarOptions> options,
    ILogger<BusyCalendarJob> logger)
    : BackgroundService
{
    private readonly SemaphoreSlim _wake = new(0, 1);

    /// <summary>Asks for a run now (a new URL was saved), without waiting for the interval.</summary>
    public void Wake()
    {
        try
        {
            _wake.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already woken.
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.CurrentValue.Enabled)
        {
            LogDisabled(logger);
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                // One instance at a time across instances (SharedJobLock): each feed is fetched once per its interval.
                await jobLock.RunAloneAsync("busy-calendars", async cancellationToken =>
                {
                    await using var scope = scopes.CreateAsyncScope();
                    await scope.ServiceProvider.GetRequiredService<BusyCalendarRefresher>().RefreshDueAsync(cancellationToken);
                }, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception exception)
            {
                // The database may be briefly unavailable; the next round tries again.
                LogRunFailed(logger, exception);
            }

            try
            {
                // Real time, as the scheduler's: the due times themselves are compared on the app's clock.
                await _wake.WaitAsync(options.CurrentValue.Interval, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    public override void Dispose()
    {
        _wake.Dispose();
        base.Dispose();
    }

    [LoggerMessage(EventId = 623, Level = LogLevel.Information, Message = "Busy calendar job disabled (BusyCalendar:Enabled is false): experts' calendars are not fetched")]
    private static partial void LogDisabled(ILogger logger);

    [LoggerMessage(EventId = 622, Level = LogLevel.Warning, Message = "Busy calendar run failed; trying again at the next interval")]
    private static partial void LogRunFailed(ILogger logger, Exception exception);
}
