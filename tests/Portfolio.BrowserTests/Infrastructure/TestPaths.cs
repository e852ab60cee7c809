using System.Reflection;

namespace Portfolio.BrowserTests.Infrastructure;

/// <summary>
/// Every path the browser tests read or write. Defaults come from the build (see the csproj's assembly
/// attributes); environment variables override them for unusual layouts.
/// </summary>
public static class TestPaths
{
    private static readonly Assembly ThisAssembly = typeof(TestPaths).Assembly;

    /// <summary><c>tests/Portfolio.BrowserTests</c> in the source tree.</summary>
    public static string ProjectDirectory { get; } = Path.GetFullPath(
        ThisAssembly.GetCustomAttribute<TestProjectDirectoryAttribute>()?.Path
        ?? throw new InvalidOperationException("The test assembly lacks its TestProjectDirectory attribute; rebuild the project."));

    /// <summary>The repository root (two folders above the test project).</summary>
    public static string RepositoryRoot { get; } = Path.GetFullPath(Path.Combine(ProjectDirectory, "..", ".."));

    /// <summary>The app under test: <c>PORTFOLIO_TEST_APP_DLL</c>, else the Portfolio.Web build of the same configuration.</summary>
    public static string WebAppAssembly { get; } = Path.GetFullPath(
        Environment.GetEnvironmentVariable("PORTFOLIO_TEST_APP_DLL") is { Length: > 0 } overridden
            ? overridden
            : ThisAssembly.GetCustomAttribute<WebAppAssemblyPathAttribute>()?.Path
              ?? throw new InvalidOperationException("The test assembly lacks its WebAppAssemblyPath attribute; rebuild the project."));

    /// <summary>Test artifacts (app logs, screenshots): <c>PORTFOLIO_TEST_RESULTS</c>, else <c>tests/results</c>.</summary>
    public static string Results { get; } = Path.GetFullPath(
        Environment.GetEnvironmentVariable("PORTFOLIO_TEST_RESULTS") is { Length: > 0 } results
            ? results
            : Path.Combine(RepositoryRoot, "tests", "results"));

    public static string Screenshots => Path.Combine(Results, "screenshots");

    /// <summary>
    /// Whether every page state the tests check is kept as a screenshot (<c>PORTFOLIO_TEST_SCREENSHOTS=1</c>), for people
    /// to look at; otherwise only a failing check keeps one.
    /// </summary>
    public static bool KeepsEveryScreenshot { get; } =
        Environment.GetEnvironmentVariable("PORTFOLIO_TEST_SCREENSHOTS") is "1" or "true";

    /// <summary>axe-core as installed by <c>npm ci</c> in the test project (tests/run.sh does that).</summary>
    public static string AxeScript => Path.Combine(ProjectDirectory, "node_modules", "axe-core", "axe.min.js");

    /// <summary>
    /// Debian's Chromium headless shell (package chromium-headless-shell, the same Chromium release as the browser) unless
    /// <c>PORTFOLIO_TEST_CHROMIUM</c> names another build, such as <c>/usr/bin/chromium</c>. The shell is Chromium's old
    /// headless mode, which Playwright itself runs for headless Chromium since 1.49 because it is faster: the same Blink, V8
    /// and layout, without the desktop browser's layers. Here the layout and axe checks took 104 CPU-seconds in it against
    /// 216 in the full browser (85 s against 125 s), with every check passing in both.
    /// </summary>
    public static string Chromium =>
        Environment.GetEnvironmentVariable("PORTFOLIO_TEST_CHROMIUM") is { Length: > 0 } chromium
            ? chromium
            : "/usr/bin/chromium-headless-shell";
}
