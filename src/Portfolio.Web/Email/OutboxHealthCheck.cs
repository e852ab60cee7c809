using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Portfolio.Web.Infrastructure;

namespace Portfolio.Web.Email;

/// <summary>
/// Degraded (still 200: the site works) when mails died or wait too long: the owner is not being told about new
/// messages and bookings, and an operator should look at SMTP or the dispatcher.
/// </summary>
public sealed class OutboxHealthCheck(OutboxStore outbox, IOptionsMonitor<HealthOptions> options, TimeProvider clock) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var settings = options.CurrentValue;
        var (_, oldest, dead) = await outbox.HealthFiguresAsync(cancellationToken);
        if (dead > settings.MaxDeadMails)
        {
            return HealthCheckResult.Degraded($"{dead} mail(s) could not be delivered and were given up.");
        }

        var age = oldest is { } created ? clock.GetUtcNow().UtcDateTime - created : TimeSpan.Zero;
        return age > settings.MaxQueuedMailAge
            ? HealthCheckResult.Degraded($"The oldest queued mail has waited {(int)age.TotalMinutes} minutes.")
            : HealthCheckResult.Healthy();
    }
}
