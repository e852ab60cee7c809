using Portfolio.Web.Infrastructure;

namespace Portfolio.Web.Privacy;

public static class PrivacyExtensions
{
    /// <summary>Personal data kept no longer than the <c>Retention</c> section says, and erased on request.</summary>
    public static WebApplicationBuilder AddPrivacy(this WebApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<RetentionOptions, RetentionOptionsValidator>(RetentionOptions.SectionName);
        builder.Services.AddScoped<RetentionService>();
        builder.Services.AddScoped<PersonalDataEraser>();
        builder.Services.AddHostedService<RetentionJob>();
        return builder;
    }
}
