namespace Portfolio.Web.Infrastructure;

/// <summary>Start-up decisions that have to be made before the host builder exists.</summary>
public static class PortfolioHost
{
    /// <summary>
    /// The host's command line: <see cref="WithWebRoot"/>, and configuration files not watched for changes unless
    /// the operator asks for it (<c>hostBuilder:reloadConfigOnChange=true</c>). The framework's watcher covers the
    /// whole content root recursively, and umbraco/Data and umbraco/Logs live under it: every database and log
    /// write woke it, 6 % of the CPU of a busy write API (perf, tests/bench/api.sh). Changed settings take effect
    /// on restart.
    /// </summary>
    public static string[] Arguments(string[] args)
    {
        var config = new ConfigurationBuilder()
            .AddEnvironmentVariables("DOTNET_")
            .AddCommandLine(args)
            .Build();
        var withWebRoot = WithWebRoot(args);
        return string.IsNullOrEmpty(config["hostBuilder:reloadConfigOnChange"])
            ? [.. withWebRoot, "--hostBuilder:reloadConfigOnChange=false"]
            : withWebRoot;
    }

    /// <summary>
    /// The web root is <c>{ContentRoot}/wwwroot</c>. When the app runs with a content root that has no
    /// <c>wwwroot</c> (for example <c>--contentRoot /srv/portfolio-data</c>), fall back to the copy that
    /// ships in the build output, so a data-only folder still serves the site's CSS and scripts.
    /// </summary>
    public static string[] WithWebRoot(string[] args)
    {
        var config = new ConfigurationBuilder()
            .AddEnvironmentVariables("ASPNETCORE_")
            .AddCommandLine(args)
            .Build();
        if (!string.IsNullOrEmpty(config["webroot"]))
        {
            return args;
        }

        var contentRoot = Path.GetFullPath(config["contentRoot"] ?? Directory.GetCurrentDirectory());
        if (Directory.Exists(Path.Combine(contentRoot, "wwwroot")))
        {
            return args;
        }

        var bundled = Path.Combine(AppContext.BaseDirectory, "wwwroot");
        return Directory.Exists(bundled) ? [.. args, "--webroot", bundled] : args;
    }
}
