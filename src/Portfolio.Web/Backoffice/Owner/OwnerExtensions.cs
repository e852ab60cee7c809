using Portfolio.Web.Infrastructure;

namespace Portfolio.Web.Backoffice.Owner;

public static class OwnerExtensions
{
    /// <summary>The owner's side of the backoffice: inbox, bookings, availability, mail queue, retention and erasure.</summary>
    public static IServiceCollection AddOwnerBackoffice(this IServiceCollection services)
    {
        services.AddValidatedOptions<RetentionOptions, RetentionOptionsValidator>(RetentionOptions.SectionName);
        services.AddScoped<OwnerInbox>();
        services.AddScoped<OwnerBookings>();
        services.AddScoped<AvailabilityEditor>();
        services.AddScoped<OwnerMailQueue>();
        services.AddScoped<RetentionService>();
        services.AddScoped<PersonalDataEraser>();
        services.AddHostedService<RetentionJob>();
        return services;
    }
}
