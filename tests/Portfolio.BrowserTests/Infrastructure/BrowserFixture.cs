using System.Collections.Concurrent;
using Microsoft.Playwright;

namespace Portfolio.BrowserTests.Infrastructure;

/// <summary>
/// One app process, one database and one Chromium shared by the browser tests of a collection (starting them is the
/// slow part; each of the three collections below has its own); each test opens its own browser context, so cookies and
/// storage never leak between tests.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    /// <summary>
    /// Debian's Chromium headless shell by default (<see cref="TestPaths.Chromium"/>). The extra switches keep it from
    /// calling home: this machine's network is closed, and without them Chromium's background connections fail noisily
    /// at every start.
    /// </summary>
    private static readonly string[] ChromiumArguments =
    [
        "--no-sandbox", // the tests run as root in CI, where Chromium's sandbox refuses to start
        "--disable-gpu",
        // The GPU process (with --disable-gpu, software compositing) as a thread of the browser process: one process and
        // its IPC fewer per Chromium. The browser suite's same tests, alternating runs on this 2-core machine: 195 and 203
        // CPU-seconds against 201 and 217 without it (a raster thread limit and no software rasterizer on top: no better).
        "--in-process-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
    ];

    private readonly ConcurrentDictionary<string, Lazy<Task<object>>> _once = new(StringComparer.Ordinal);
    private TestDatabase? _database;
    private PortfolioAppProcess? _app;
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public PortfolioAppProcess App => _app ?? throw new InvalidOperationException("The fixture is not initialised.");

    public IBrowser Browser => _browser ?? throw new InvalidOperationException("The fixture is not initialised.");

    public Uri BaseAddress => App.BaseAddress;

    public async Task InitializeAsync()
    {
        // The package's browser download can't work here (and must never be attempted): Debian's Chromium is used.
        Environment.SetEnvironmentVariable("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        if (!File.Exists(TestPaths.Chromium))
        {
            // Debian's two packages install under their own names; tests/run.sh installs either when missing.
            var package = Path.GetFileName(TestPaths.Chromium);
            var install = package is "chromium-headless-shell" or "chromium"
                ? $"apt-get install {package} (tests/run.sh does)"
                : "install it";
            throw new InvalidOperationException(
                $"Chromium is not installed at {TestPaths.Chromium}: {install}, or point PORTFOLIO_TEST_CHROMIUM at another build.");
        }

        // Expect(…) waits 5 s by default; on a CI machine busy with the app, Chromium and the build, a page's
        // script can take longer than that to move focus or show a message, which is slowness, not a bug.
        Assertions.SetDefaultExpectTimeout(15_000);

        _database = await TestDatabase.CreateAsync(PortfolioAppProcess.DatabaseProvider);
        _app = await PortfolioAppProcess.StartAsync(_database, BackofficeAccounts.InitialAdministratorSettings);
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = TestPaths.Chromium,
            Headless = true,
            Args = ChromiumArguments,
        });
    }

    /// <summary>
    /// A fresh context (own cookies, storage) with the given viewport; dispose it at the end of the test.
    /// <paramref name="timeZoneId"/> (IANA) is the zone the browser reports to the page; null keeps the machine's.
    /// <paramref name="colorScheme"/> sets what <c>prefers-color-scheme</c> reports (light by default).
    /// </summary>
    public Task<IBrowserContext> NewContextAsync(Viewport? viewport = null, string? timeZoneId = null, ColorScheme colorScheme = ColorScheme.Light) =>
        Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ColorScheme = colorScheme,
            BaseURL = BaseAddress.ToString(),
            ViewportSize = (viewport ?? Viewport.Desktop).Size,
            IsMobile = (viewport ?? Viewport.Desktop).IsMobile,
            HasTouch = (viewport ?? Viewport.Desktop).IsMobile,
            Locale = "en-GB",
            TimezoneId = timeZoneId,
        });

    /// <summary>
    /// The result of <paramref name="create"/> for <paramref name="key"/>, made by the first caller and shared by the tests of
    /// this fixture's collection after it (a failure too: every test that needs it then fails with the same cause).
    /// </summary>
    public async Task<T> OnceAsync<T>(string key, Func<Task<T>> create) where T : class =>
        (T)await _once.GetOrAdd(key, _ => new Lazy<Task<object>>(async () => await create())).Value;

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.CloseAsync();
        }

        _playwright?.Dispose();
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }
}

/// <summary>
/// The backoffice tests and the editors' journeys share one <see cref="BrowserFixture"/> and run one at a time: they change
/// content, sign users in and read mail, in an order-independent but not concurrency-proof way.
/// </summary>
[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "Browser";
}

/// <summary>
/// The public site as visitors use it, without signing in or changing content: the visitors' booking, contact and roster
/// journeys. It has its own app, database and Chromium, so it runs beside the other two collections (xunit.runner.json
/// allows three at once), and its pages show the sample content whatever the editors' journeys change.
/// </summary>
[CollectionDefinition(Name)]
public sealed class PublicSiteCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "Public site";
}

/// <summary>
/// The page checks: every page type at every size and scheme, for layout and axe (they share one visit of each, through
/// <see cref="BrowserFixture.OnceAsync{T}"/>, so they share this collection's fixture), and the engineering widgets. Own
/// app, database and Chromium, like <see cref="PublicSiteCollection"/>. Three collections instead of two: with Chromium's
/// headless shell the suite kept 1.6 of the 2 cores busy, and one side ran 190 s of tests against the other's 150 s.
/// </summary>
[CollectionDefinition(Name)]
public sealed class PageChecksCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "Page checks";
}
