namespace Portfolio.Web.Infrastructure;

/// <summary>
/// Every folder the app writes to, derived from the content root (never from the working directory):
/// <c>umbraco/Data</c> (database, keys, mail pickup), <c>umbraco/Logs</c>, <c>umbraco/media</c>.
/// </summary>
public sealed class PortfolioPaths
{
    public PortfolioPaths(string contentRoot)
    {
        ContentRoot = Path.GetFullPath(contentRoot);
        UmbracoRoot = Path.Combine(ContentRoot, "umbraco");
        Data = Path.Combine(UmbracoRoot, "Data");
        Logs = Path.Combine(UmbracoRoot, "Logs");
        Media = Path.Combine(UmbracoRoot, "media");
    }

    public string ContentRoot { get; }
    public string UmbracoRoot { get; }
    public string Data { get; }
    public string Logs { get; }
    public string Media { get; }

    /// <summary>The sample content shipped with the site: the content root's copy, else the build output's.</summary>
    public string SampleContent
    {
        get
        {
            var own = Path.Combine(UmbracoRoot, "content");
            return Directory.Exists(own) ? own : Path.Combine(AppContext.BaseDirectory, "umbraco", "content");
        }
    }

    public void EnsureCreated()
    {
        Directory.CreateDirectory(Data);
        Directory.CreateDirectory(Logs);
        Directory.CreateDirectory(Media);
    }
}

public static class PortfolioPathsExtensions
{
    public static WebApplicationBuilder AddPortfolioPaths(this WebApplicationBuilder builder)
    {
        var paths = new PortfolioPaths(builder.Environment.ContentRootPath);
        paths.EnsureCreated();
        builder.Services.AddSingleton(paths);
        return builder;
    }
}
