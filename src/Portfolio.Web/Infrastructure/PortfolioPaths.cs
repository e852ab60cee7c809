namespace Portfolio.Web.Infrastructure;

/// <summary>
/// Every folder the app writes to, derived from the content root (never from the working directory):
/// <c>umbraco/Data</c> (database, keys, mail pickup), <c>umbraco/Logs</c>, <c>umbraco/media</c>.
/// </summary>
public sealed class PortfolioPaths
{
    /// <param name="contentRoot">The app's content root.</param>
    /// <param name="mediaFolder">
    /// <c>Media:Folder</c>: where uploads, sizes and share cards live when not in <c>umbraco/media</c>; several
    /// instances name the same shared folder (a volume both mount), relative paths are under the content root.
    /// </param>
    public PortfolioPaths(string contentRoot, string? mediaFolder = null)
    {
        ContentRoot = Path.GetFullPath(contentRoot);
        UmbracoRoot = Path.Combine(ContentRoot, "umbraco");
        Data = Path.Combine(UmbracoRoot, "Data");
        Logs = Path.Combine(UmbracoRoot, "Logs");
        Media = string.IsNullOrWhiteSpace(mediaFolder) ? Path.Combine(UmbracoRoot, "media") : Path.GetFullPath(mediaFolder, ContentRoot);
    }

    public string ContentRoot { get; }
    public string UmbracoRoot { get; }
    public string Data { get; }
    public string Logs { get; }
    public string Media { get; }

    /// <summary>The SQLite database when no connection string names another: <c>umbraco/Data/portfolio.db</c>.</summary>
    public string SqliteDatabase => Path.Combine(Data, "portfolio.db");

    /// <summary>The sample content shipped with the site: the content root's copy, else the build output's.</summary>
    public string SampleContent
    {
        get
        {
            var own = Path.Combine(UmbracoRoot, "content");
            return Directory.Exists(own) ? own : Path.Combine(AppContext.BaseDirectory, "umbraco", "content");
        }
    }

    /// <summary>
    /// Creates the folders and proves that the app may write to them, so that a read-only mount or a wrong owner
    /// stops the app at start with one line that names the folder, not at the first upload or sign-in.
    /// </summary>
    public void EnsureCreated()
    {
        foreach (var folder in new[] { Data, Logs, Media })
        {
            try
            {
                Directory.CreateDirectory(folder);
                var probe = Path.Combine(folder, $".write-test-{Environment.ProcessId}");
                File.WriteAllBytes(probe, []);
                File.Delete(probe);
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                throw new StartupProblemException(
                    $"The folder {folder} cannot be created or written: {exception.Message} Make it a folder the app's user may write to, " +
                    "or start the app with --contentRoot on a writable folder (the app keeps its data in umbraco/ under it).", exception);
            }
        }
    }
}

public static class PortfolioPathsExtensions
{
    public static WebApplicationBuilder AddPortfolioPaths(this WebApplicationBuilder builder)
    {
        var paths = new PortfolioPaths(builder.Environment.ContentRootPath, builder.Configuration["Media:Folder"]);
        paths.EnsureCreated();
        builder.Services.AddSingleton(paths);
        return builder;
    }
}
