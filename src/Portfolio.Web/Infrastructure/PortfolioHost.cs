using Microsoft.Extensions.Options;
using Serilog;

namespace Portfolio.Web.Infrastructure;

/// <summary>Start-up decisions that have to be made before the host builder exists, and how the process ends.</summary>
public static class PortfolioHost
{
    /// <summary>
    /// Builds the site with <paramref name="buildAsync"/>, runs it until shutdown and returns the exit code. A failure
    /// while building, preparing or starting it is logged by the bootstrap logger as one line and ends the process
    /// with exit code 1, so systemd or the container runtime sees it failed and the operator reads why. A setting
    /// the app refuses is logged as its message alone (which names the setting and what is wrong with it): a stack
    /// trace would only bury it. Anything else keeps its stack trace.
    /// </summary>
    public static async Task<int> RunAsync(string[] args, Func<string[], Task<WebApplication>> buildAsync)
    {
        Log.Logger = LoggingExtensions.CreateBootstrapLogger(args);
        try
        {
            await using var app = await buildAsync(args);
            await app.StartAsync();
            await app.WaitForShutdownAsync();
            return 0;
        }
        // WebApplicationFactory stops the entry point with HostAbortedException once it has the host: not a failure. In
        // a test host any other failure is left to reach the test, which asserts on it rather than on an exit code.
        catch (Exception exception) when (exception is not HostAbortedException && RunsAsTheProcess)
        {
            // A known cause (a bad setting, no database, an unwritable folder): one line saying what to change, no stack
            // trace. Anything else is a bug, and its stack trace is what whoever fixes it needs.
            if (StartupProblem.Describe(exception) is { } problem)
            {
                Log.Fatal("The app cannot start: {StartupProblem}", problem);
            }
            else
            {
                Log.Fatal(exception, "The site stopped on an unexpected failure");
            }

            return StartupProblem.ExitCode;
        }
        finally
        {
            await Log.CloseAndFlushAsync();
        }
    }

    private static bool RunsAsTheProcess => System.Reflection.Assembly.GetEntryAssembly() == typeof(PortfolioHost).Assembly;

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
    /// ships in the published output (with its precompressed copies), so a data-only folder still serves the site's
    /// CSS and scripts. A built, unpublished app has none there: it finds them through the build's static web assets
    /// manifest (<c>PublicSiteExtensions.AddPublicSite</c>).
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
