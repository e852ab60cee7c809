using System.ComponentModel.DataAnnotations;
using System.Data.Common;
using System.Text.Json;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Portfolio.Web.Infrastructure;

/// <summary>The <c>Health</c> configuration section: when <c>/health/ready</c> stops saying Healthy.</summary>
public sealed class HealthOptions
{
    public const string SectionName = "Health";

    /// <summary>Below this much free space on the data folder's disk readiness is Unhealthy (default 32 MB; 0 turns it off).</summary>
    [Range(0, 1024 * 1024)]
    public int MinimumFreeDiskMegabytes { get; set; } = 32;

    /// <summary>How long a write refused for lack of space keeps readiness Unhealthy when no write succeeds after it.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan OutOfSpaceHold { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>More dead mails than this (mails the dispatcher gave up on) make readiness Degraded (default 0: any).</summary>
    [Range(0, int.MaxValue)]
    public int MaxDeadMails { get; set; }

    /// <summary>A queued mail older than this makes readiness Degraded (default 30 minutes): the dispatcher is stuck or SMTP is down.</summary>
    [Range(typeof(TimeSpan), "00:00:10", "7.00:00:00")]
    public TimeSpan MaxQueuedMailAge { get; set; } = TimeSpan.FromMinutes(30);
}

[OptionsValidator]
public sealed partial class HealthOptionsValidator : IValidateOptions<HealthOptions>;

/// <summary>
/// Remembers that a write failed for lack of disk space, wherever it happened: every database command of the app's
/// contexts (requests and background jobs alike, through EF's interceptor) and the request failures the exception
/// handler sees (a media file, a key). A successful write does not clear it: on a full disk some still fit (an update
/// in place), which says nothing about the next insert. What clears it is space coming back on the data folder's disk
/// (SQLite, media, keys live there), or <see cref="HealthOptions.OutOfSpaceHold"/> passing (a PostgreSQL server's
/// disk cannot be seen from here), after which traffic finds out again.
/// </summary>
public sealed class StorageFaults(TimeProvider clock, PortfolioPaths paths) : DbCommandInterceptor
{
    private OutOfSpace? _last;

    /// <summary>The last write refused for lack of space: when, and how much the data folder's disk had free then.</summary>
    public OutOfSpace? Last => Volatile.Read(ref _last);

    public void Observe(Exception exception)
    {
        if (Data.DatabaseErrors.IsOutOfSpace(exception))
        {
            Volatile.Write(ref _last, new OutOfSpace(clock.GetUtcNow(), FreeBytes(paths)));
        }
    }

    public static long FreeBytes(PortfolioPaths paths) => new DriveInfo(paths.Data).AvailableFreeSpace;

    public override void CommandFailed(DbCommand command, CommandErrorEventData eventData) => Observe(eventData.Exception);

    public override Task CommandFailedAsync(DbCommand command, CommandErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Observe(eventData.Exception);
        return Task.CompletedTask;
    }

    public sealed record OutOfSpace(DateTimeOffset At, long FreeBytesThen);
}

/// <summary>Unhealthy while writes fail for lack of space, or when the data folder's disk is nearly full.</summary>
public sealed class StorageHealthCheck(StorageFaults faults, IOptionsMonitor<HealthOptions> options, PortfolioPaths paths, TimeProvider clock)
    : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var settings = options.CurrentValue;
        var free = StorageFaults.FreeBytes(paths);
        // Space is back when a megabyte more is free than when the write failed.
        if (faults.Last is { } fault && clock.GetUtcNow() - fault.At < settings.OutOfSpaceHold && free < fault.FreeBytesThen + (1024 * 1024))
        {
            return Task.FromResult(HealthCheckResult.Unhealthy("Writes fail: no space left on the disk."));
        }

        var freeMegabytes = free / (1024 * 1024);
        return Task.FromResult(freeMegabytes < settings.MinimumFreeDiskMegabytes
            ? HealthCheckResult.Unhealthy($"The data folder's disk has {freeMegabytes} MB free, below Health:MinimumFreeDiskMegabytes.")
            : HealthCheckResult.Healthy());
    }
}

/// <summary>Writes readiness as JSON: the overall status and each check's status and description (never an exception).</summary>
public static class HealthReportWriter
{
    public static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        return JsonSerializer.SerializeAsync(context.Response.Body, new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(entry => entry.Key, entry => new
            {
                status = entry.Value.Status.ToString(),
                description = entry.Value.Description ?? (entry.Value.Exception is null ? null : "Not reachable."),
            }),
        }, cancellationToken: context.RequestAborted);
    }
}
