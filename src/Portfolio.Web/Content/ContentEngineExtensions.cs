using Microsoft.Extensions.Options;
using Portfolio.Web.Infrastructure;

namespace Portfolio.Web.Content;

public static class ContentEngineExtensions
{
    public static WebApplicationBuilder AddContentEngine(this WebApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<ContentOptions, ContentOptionsValidator>(ContentOptions.SectionName);
        builder.Services.TryAddSingletonTimeProvider();
        builder.Services.AddSingleton<PublishedContentCache>();
        // Several instances on one PostgreSQL: a change on one drops the cached pages of all (LISTEN/NOTIFY, stamp as fallback).
        builder.Services.AddSingleton<ContentChangeBroadcast>();
        builder.Services.AddHostedService<RemoteContentChanges>();
        builder.Services.AddScoped<ContentService>();
        builder.Services.AddSingleton<PagePaths>();
        builder.Services.Configure<RouteOptions>(options => options.SetParameterPolicy<PagePathRouteConstraint>(PagePathRouteConstraint.Name));
        builder.Services.AddScoped<RedirectService>();
        builder.Services.AddSingleton<SampleContentImporter>();
        builder.Services.AddSingleton<MarkdownRenderer>();
        builder.Services.AddHostedService<ScheduledPublishingJob>();
        return builder;
    }

    public static async Task ImportSampleContentAsync(this IServiceProvider services)
    {
        if (services.GetRequiredService<IOptions<ContentOptions>>().Value.ImportSampleContent)
        {
            await services.GetRequiredService<SampleContentImporter>().ImportIfEmptyAsync();
        }
    }

    private static void TryAddSingletonTimeProvider(this IServiceCollection services)
    {
        if (services.All(descriptor => descriptor.ServiceType != typeof(TimeProvider)))
        {
            services.AddSingleton(TimeProvider.System);
        }
    }
}
