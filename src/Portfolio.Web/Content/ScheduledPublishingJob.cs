using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;
using Portfolio.Web.Data;

namespace Portfolio.Web.Content;

/// <summary>The <c>Content</c> configuration section.</summary>
public sealed class ContentOptions
{
    public const string SectionName = "Content";

    /// <summary>How often the scheduler looks for due publish/unpublish times.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan SchedulerInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Import the sample content on first start with an empty database.</summary>
    public bool ImportSampleContent { get; set; } = true;
}

[OptionsValidator]
public sealed partial class ContentOptionsValidator : IValidateOptions<ContentOptions>;

/// <summary>Applies scheduled publish and unpublish times. The schedule lives in the database, so a restart loses nothing.</summary>
public sealed partial class ScheduledPublishingJob(IServiceScopeFactory scopes, SharedJobLock jobLock, IOptions<ContentOptions> options,
    ILogger<ScheduledPublishingJob> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                // One instance at a time: two would both find an item due and publish it twice.
                await jobLock.RunAloneAsync("scheduled-publishing", async cancellationToken =>
                {
                    await using var scope = scopes.CreateAsyncScope();
                    var changed = await scope.ServiceProvider.GetRequiredService<ContentService>().ApplySchedulesAsync(cancellationToken);
                    if (changed > 0)
                    {
                        LogApplied(logger, changed);
                    }
                }, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception exception)
            {
                // The database may be briefly unavailable; try again on the next tick.
                LogFailed(logger, exception);
            }

            try
            {
                await Task.Delay(options.Value.SchedulerInterval, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    [LoggerMessage(EventId = 200, Level = LogLevel.Information, Message = "Scheduler published or unpublished {Count} item(s)")]
    private static partial void LogApplied(ILogger logger, int count);

    [LoggerMessage(EventId = 201, Level = LogLevel.Warning, Message = "Scheduler run failed")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
