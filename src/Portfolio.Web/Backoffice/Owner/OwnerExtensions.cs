namespace Portfolio.Web.Backoffice.Owner;

public static class OwnerExtensions
{
    /// <summary>The owner's side of the backoffice: inbox, bookings, availability, mail queue, retention and erasure.</summary>
    public static IServiceCollection AddOwnerBackoffice(this IServiceCollection services)
    {
        services.AddOptions<RetentionOptions>().BindConfiguration(RetentionOptions.SectionName)
            .ValidateDataAnnotations()
            .Validate(options => options.Interval >= TimeSpan.FromMinutes(1), "Retention:Interval must be at least a minute.")
            .ValidateOnStart();
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
