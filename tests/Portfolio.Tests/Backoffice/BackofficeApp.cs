using System.Collections.Concurrent;
using System.Net;
using System.Text.RegularExpressions;
using AngleSharp.Dom;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Portfolio.Tests.Infrastructure;
using Portfolio.Web.Backoffice;

namespace Portfolio.Tests.Backoffice;

/// <summary>
/// The app for backoffice tests: its log is captured (the first-run setup token is read from it, as an operator
/// would), and helpers create users of each role and sign clients in through the real pages.
/// Clients talk to <c>https://localhost</c>, so the Secure <c>__Host-</c> cookie flows.
/// </summary>
public class BackofficeApp : PortfolioApp
{
    public const string Password = "staple battery horse correct";

    /// <summary>Created on start from <c>Backoffice:InitialAdmin</c>, as an unattended deploy would.</summary>
    public const string AdminEmail = "admin@example.com";

    public CapturedLog Log { get; } = new();

    /// <summary>Configuration of the fixture; by default the initial administrator.</summary>
    protected virtual IEnumerable<KeyValuePair<string, string>> Settings =>
    [
        new("Backoffice:InitialAdmin:Email", AdminEmail),
        new("Backoffice:InitialAdmin:Password", Password),
        new("Backoffice:InitialAdmin:DisplayName", "Initial Admin"),
    ];

    /// <summary>
    /// Whether the sign-in limit per client is raised out of the way (default yes): every request of a TestServer comes
    /// from the same (unknown) address, and a fixture signs in far more often than the production limit allows.
    /// <see cref="SignInRateLimitTests"/> runs with the production limit.
    /// </summary>
    protected virtual bool RaisesSignInLimit => true;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        if (RaisesSignInLimit)
        {
            builder.UseSetting("RateLimiting:SignIn:PermitLimit", "1000000");
        }

        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureTestServices(services => services.AddSingleton<ILoggerProvider>(Log));
    }

    /// <summary>A browser-like client: HTTPS, cookies kept, redirects not followed (tests look at them).</summary>
    public HttpClient CreateBrowser() => CreateClient(new WebApplicationFactoryClientOptions
    {
        BaseAddress = new Uri("https://localhost"),
        AllowAutoRedirect = false,
        HandleCookies = true,
    });

    /// <summary>A client that sends only the cookies a test puts on each request.</summary>
    public HttpClient CreateCookielessClient() => CreateClient(new WebApplicationFactoryClientOptions
    {
        BaseAddress = new Uri("https://localhost"),
        AllowAutoRedirect = false,
        HandleCookies = false,
    });

    /// <summary>Creates a user with a password straight through Identity (no invitation round trip).</summary>
    public async Task<BackofficeUser> CreateUserAsync(string role, string? email = null, string password = Password)
    {
        email ??= $"{role.ToLowerInvariant()}-{Guid.NewGuid():N}@example.com";
        return await WithScopeAsync(async services =>
        {
            var users = services.GetRequiredService<UserManager<BackofficeUser>>();
            var user = new BackofficeUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = $"Test {role}", CreatedUtc = Clock.GetUtcNow().UtcDateTime };
            AssertSucceeded(await users.CreateAsync(user, password));
            AssertSucceeded(await users.AddToRoleAsync(user, role));
            return user;
        });
    }

    /// <summary>A signed-in browser for a new user of the role.</summary>
    public async Task<(HttpClient Client, BackofficeUser User)> SignedInAsync(string role)
    {
        var user = await CreateUserAsync(role);
        var client = CreateBrowser();
        var response = await client.SignInAsync(user.Email!, Password);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/umbraco", response.Headers.Location?.OriginalString);
        return (client, user);
    }

    /// <summary>
    /// A signed-in browser for a new administrator who has just entered their password again, as the user and webhook pages
    /// ask first (<see cref="RequireRecentPasswordAttribute"/>).
    /// </summary>
    public async Task<HttpClient> AdministratorWithConfirmedPasswordAsync()
    {
        var (client, _) = await SignedInAsync(BackofficeRoles.Administrator);
        // Back to the page it came for (here the list of users), as the confirmation page sends a person.
        var confirmed = await client.SubmitAsync("/umbraco/confirm-password?returnUrl=%2Fumbraco%2Fusers", new() { ["Password"] = Password });
        Assert.Equal("/umbraco/users", confirmed.Headers.Location?.OriginalString);
        return client;
    }

    private static void AssertSucceeded(IdentityResult result) =>
        Assert.True(result.Succeeded, string.Join(" ", result.Errors.Select(error => error.Description)));
}

/// <summary>A fresh site: no users, no sample content (faster), the setup token in the log.</summary>
public sealed class FirstRunApp : BackofficeApp
{
    protected override bool ImportSampleContent => false;

    protected override IEnumerable<KeyValuePair<string, string>> Settings => [];
}

/// <summary>Log lines the app wrote, kept for tests to read.</summary>
public sealed partial class CapturedLog : ILoggerProvider
{
    private readonly ConcurrentQueue<(LogLevel Level, string Category, string Message)> _lines = new();

    public IReadOnlyList<(LogLevel Level, string Category, string Message)> Lines => _lines.ToList();

    /// <summary>The setup token from the "No backoffice administrator exists yet" warning.</summary>
    public string SetupToken()
    {
        var line = Lines.LastOrDefault(line => line.Message.Contains("No backoffice administrator exists yet", StringComparison.Ordinal));
        Assert.True(line.Message is not null, "The setup token was not logged.");
        Assert.Equal(LogLevel.Warning, line.Level);
        return TokenPattern().Match(line.Message).Value;
    }

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    [GeneratedRegex("[0-9A-Z]{4}(-[0-9A-Z]{4}){4}")]
    private static partial Regex TokenPattern();

    private sealed class Logger(CapturedLog log, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                log._lines.Enqueue((logLevel, category, formatter(state, exception)));
            }
        }
    }
}

/// <summary>Drives the backoffice's forms the way a browser does: antiforgery token and all.</summary>
public static class BackofficeBrowser
{
    public static async Task<HttpResponseMessage> SignInAsync(this HttpClient client, string email, string password) =>
        await client.SubmitAsync("/umbraco/login", new() { ["Email"] = email, ["Password"] = password });

    /// <summary>
    /// Loads <paramref name="path"/>, fills the first form in <c>main</c> that matches <paramref name="formSelector"/>
    /// (hidden fields, including the antiforgery token, come along) and posts it.
    /// </summary>
    public static async Task<HttpResponseMessage> SubmitAsync(this HttpClient client, string path, Dictionary<string, string> fields,
        string formSelector = "form[method=post]")
    {
        var page = await client.GetAsync(path);
        Assert.True(page.StatusCode == HttpStatusCode.OK, $"GET {path} answered {(int)page.StatusCode} {page.Headers.Location}.");
        var document = Html.Parse(await page.Content.ReadAsStringAsync());
        var form = document.QuerySelector($"main {formSelector}") ?? throw new InvalidOperationException($"{path} has no form {formSelector}.");
        return await client.PostFormAsync(form.GetAttribute("action") is { Length: > 0 } action ? action : path, FormValues(form, fields));
    }

    public static async Task<HttpResponseMessage> PostFormAsync(this HttpClient client, string path, IEnumerable<KeyValuePair<string, string>> values) =>
        await client.PostAsync(path, new FormUrlEncodedContent(values));

    /// <summary>The antiforgery token of any backoffice form on the page (the sign-out form is on every shell page).</summary>
    public static async Task<string> AntiforgeryTokenAsync(this HttpClient client, string path = "/umbraco")
    {
        var document = await client.GetDocumentAsync(path);
        return document.QuerySelector("input[name=__RequestVerificationToken]")?.GetAttribute("value")
               ?? throw new InvalidOperationException($"{path} has no antiforgery token.");
    }

    public static string Text(this IDocument document) => document.Body?.TextContent ?? "";

    private static List<KeyValuePair<string, string>> FormValues(IElement form, Dictionary<string, string> fields)
    {
        var values = form.QuerySelectorAll("input[name]")
            .Where(input => input.GetAttribute("type") is "hidden" || (input.GetAttribute("type") is "radio" or "checkbox" && input.HasAttribute("checked")))
            .Where(input => !fields.ContainsKey(input.GetAttribute("name")!))
            .Select(input => new KeyValuePair<string, string>(input.GetAttribute("name")!, input.GetAttribute("value") ?? ""))
            .ToList();
        values.AddRange(fields);
        return values;
    }
}
