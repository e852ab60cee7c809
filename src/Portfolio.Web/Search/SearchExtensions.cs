using Portfolio.Web.Content;

namespace Portfolio.Web.Search;

public static class SearchExtensions
{
    /// <summary>The public search: the index follows the content service's changes; <c>/search</c> is a Razor page.</summary>
    public static WebApplicationBuilder AddSiteSearch(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<SearchIndex>();
        builder.Services.AddScoped<IContentChangeListener>(services => services.GetRequiredService<SearchIndex>());
        builder.Services.AddScoped<SiteSearch>();
        return builder;
    }

    /// <summary>Fills the index from the published content (after the migrations and the sample-content import).</summary>
    public static async Task RebuildSearchIndexAsync(this IServiceProvider services)
    {
        await using var scope = services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<SearchIndex>().RebuildAsync();
    }
}
