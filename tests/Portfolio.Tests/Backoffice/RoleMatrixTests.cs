using System.Net;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Portfolio.Web.Backoffice;

namespace Portfolio.Tests.Backoffice;

/// <summary>
/// Deny by default, checked from outside: every route the app serves under <c>/umbraco</c> is found from the
/// app's own endpoints, must appear in <see cref="Expected"/>, and is requested anonymously and as each role.
/// A new backoffice page fails these tests until its expected access is written down here.
/// </summary>
public sealed partial class RoleMatrixTests(BackofficeApp app) : IClassFixture<BackofficeApp>
{
    private const string Anyone = "anyone";
    private static readonly string[] AllRoles = [.. BackofficeRoles.All];
    private static readonly string[] Administrators = [BackofficeRoles.Administrator];
    private static readonly string[] ContentEditors = [BackofficeRoles.Administrator, BackofficeRoles.Editor, BackofficeRoles.Writer];
    private static readonly string[] Publishers = [BackofficeRoles.Administrator, BackofficeRoles.Editor];

    /// <summary>Talha's profile from the sample content: the item behind every <c>{key}</c> route.</summary>
    private const string ContentKey = "628e4673-068f-4ed6-ab3a-193a416b581a";
    private static readonly string[] Owners = [BackofficeRoles.Administrator, BackofficeRoles.Owner];

    /// <summary>Who may open each route: the roles, or <see cref="Anyone"/> for the sign-in pages.</summary>
    private static readonly Dictionary<string, string[]> Expected = new(StringComparer.Ordinal)
    {
        ["umbraco"] = AllRoles,
        ["umbraco/login"] = [Anyone],
        ["umbraco/login/two-factor"] = [Anyone],
        ["umbraco/login/recovery-code"] = [Anyone],
        ["umbraco/setup"] = [Anyone],
        ["umbraco/set-password"] = [Anyone],
        ["umbraco/access-denied"] = [Anyone],
        ["umbraco/logout"] = AllRoles,
        ["umbraco/confirm-password"] = AllRoles,
        ["umbraco/account"] = AllRoles,
        ["umbraco/account/two-factor"] = AllRoles,
        ["umbraco/users"] = Administrators,
        ["umbraco/users/invite"] = Administrators,
        ["umbraco/users/edit/{id}"] = Administrators,
        ["umbraco/audit"] = Administrators,
        ["umbraco/content"] = ContentEditors,
        ["umbraco/content/create"] = ContentEditors,
        ["umbraco/content/{key:guid}"] = ContentEditors,
        ["umbraco/content/{key:guid}/preview"] = ContentEditors,
        ["umbraco/content/{key:guid}/delete"] = Publishers,
        ["umbraco/messages"] = Owners,
        ["umbraco/messages/{id:guid}"] = Owners,
        ["umbraco/bookings"] = Owners,
        ["umbraco/bookings/week"] = Owners,
        ["umbraco/bookings/{id:guid}"] = Owners,
        ["umbraco/availability"] = Owners,
        ["umbraco/availability/{expert}"] = Owners,
        ["umbraco/availability/{expert}/calendar"] = Owners,
        ["umbraco/mail"] = Owners,
        ["umbraco/mail/{id:long}"] = Owners,
        ["umbraco/privacy"] = Owners,
        ["umbraco/media"] = [BackofficeRoles.Administrator, BackofficeRoles.Editor, BackofficeRoles.Writer],
        ["umbraco/content/{key:guid}/history"] = ContentEditors,
        ["umbraco/redirects"] = Publishers,
        ["umbraco/scheduled"] = Publishers,
        ["umbraco/recycle-bin"] = Publishers,
        ["umbraco/search"] = AllRoles,
        ["umbraco/webhooks"] = Administrators,
        ["umbraco/webhooks/{id:guid}"] = Administrators,
        // The content delivery API: public like Umbraco's, read-only JSON under the backoffice's prefix.
        ["umbraco/delivery/api/v2/content"] = [Anyone],
        ["umbraco/delivery/api/v2/content/item/{id:guid}"] = [Anyone],
        ["umbraco/delivery/api/v2/content/item/{**path}"] = [Anyone],
        ["umbraco/delivery/api/v2/content/items"] = [Anyone],
    };

    /// <summary>Public routes with a parameter: a record that exists, so that "open to anyone" is a 200, not a 404.</summary>
    private static readonly Dictionary<string, string> PublicSamples = new(StringComparer.Ordinal)
    {
        ["umbraco/delivery/api/v2/content/item/{id:guid}"] = $"umbraco/delivery/api/v2/content/item/{ContentKey}",
        ["umbraco/delivery/api/v2/content/item/{**path}"] = "umbraco/delivery/api/v2/content/item/team/talha",
    };

    public static TheoryData<string> Roles => new(BackofficeRoles.All);

    [Fact]
    public void EveryBackofficeRouteHasAnExpectationAndEveryExpectationIsARoute()
    {
        var routes = BackofficeRoutesOfTheApp();

        Assert.Empty(routes.Except(Expected.Keys));
        Assert.Empty(Expected.Keys.Except(routes));
    }

    [Fact]
    public void EveryBackofficeEndpointDeclaresAuthorization()
    {
        var endpoints = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(endpoint => RouteOf(endpoint).StartsWith("umbraco", StringComparison.Ordinal));

        foreach (var endpoint in endpoints)
        {
            var anonymous = endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null;
            var policies = endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>().Select(data => data.Policy).ToList();
            Assert.True(anonymous || policies.Contains(BackofficePolicies.Access), $"{RouteOf(endpoint)} lacks the area's policy.");
            Assert.Equal(anonymous, Expected[RouteOf(endpoint)].Contains(Anyone));
        }
    }

    [Fact]
    public void EveryBackofficePageModelDeclaresItsOwnPolicyOrAllowsAnonymous()
    {
        var pageModels = typeof(BackofficeRoutes).Assembly.GetTypes()
            .Where(type => type is { IsAbstract: false } && type.IsSubclassOf(typeof(PageModel)) &&
                           type.Namespace?.StartsWith("Portfolio.Web.Areas.Backoffice", StringComparison.Ordinal) == true)
            .ToList();

        Assert.NotEmpty(pageModels);
        foreach (var type in pageModels)
        {
            var policies = type.GetCustomAttributes(typeof(AuthorizeAttribute), inherit: true).Cast<AuthorizeAttribute>().Select(a => a.Policy).ToList();
            var anonymous = type.IsDefined(typeof(AllowAnonymousAttribute), inherit: true);
            Assert.True(anonymous ^ policies.Count > 0, $"{type.Name} must declare exactly one of [Authorize(Policy = ...)] or [AllowAnonymous].");
            Assert.All(policies, policy => Assert.True(policy is not null && BackofficePolicies.RolesByPolicy.ContainsKey(policy),
                $"{type.Name} uses an unknown policy {policy}."));
        }
    }

    [Fact]
    public async Task AnonymousVisitorsAreSentToSignInFromEveryProtectedRoute()
    {
        var client = app.CreateBrowser();
        foreach (var (route, allowed) in Expected)
        {
            var response = await client.GetAsync(Url(route, "00000000-0000-0000-0000-000000000000", PublicSamples));
            if (allowed.Contains(Anyone))
            {
                Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.Redirect or HttpStatusCode.Forbidden,
                    $"{route} answered {(int)response.StatusCode} anonymously.");
                Assert.False(IsSignInRedirect(response), $"{route} should be open to anyone.");
            }
            else
            {
                Assert.True(IsSignInRedirect(response), $"{route} answered {(int)response.StatusCode} {response.Headers.Location} anonymously.");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Roles))]
    public async Task EachRoleOpensExactlyThePagesItsCapabilitiesAllow(string role)
    {
        var (client, user) = await app.SignedInAsync(role);
        if (role == BackofficeRoles.Administrator)
        {
            // User management and the webhooks ask for the password again first; do that once, as a person would.
            var confirmed = await client.SubmitAsync("/umbraco/confirm-password?returnUrl=%2Fumbraco%2Fusers", new() { ["Password"] = BackofficeApp.Password });
            Assert.Equal("/umbraco/users", confirmed.Headers.Location?.OriginalString);
        }

        var token = await client.AntiforgeryTokenAsync();
        var samples = await SampleRecordsAsync();
        foreach (var (route, allowed) in Expected.Where(pair => !pair.Value.Contains(Anyone)))
        {
            var url = Url(route, user.Id, samples);
            var response = await client.GetAsync(url);
            if (allowed.Contains(role))
            {
                Assert.True(response.StatusCode == HttpStatusCode.OK, $"{role} should open {url} but got {(int)response.StatusCode} {response.Headers.Location}.");
                AssertMachineReadableTimesAreValidHtml(url, await response.Content.ReadAsStringAsync());
            }
            else
            {
                Assert.True(IsAccessDenied(response), $"{role} should be refused {url} but got {(int)response.StatusCode} {response.Headers.Location}.");
                // A form post to a refused page is refused before any handler runs.
                var post = await client.PostFormAsync(url, [new("__RequestVerificationToken", token)]);
                Assert.True(IsAccessDenied(post), $"{role} could POST to {url}: {(int)post.StatusCode}.");
            }
        }
    }

    [Fact]
    public async Task TheNavigationShowsOnlyWhatTheRoleMayUse()
    {
        var (writer, _) = await app.SignedInAsync(BackofficeRoles.Writer);
        var (admin, _) = await app.SignedInAsync(BackofficeRoles.Administrator);

        var writerLinks = await NavigationAsync(writer);
        var adminLinks = await NavigationAsync(admin);

        Assert.DoesNotContain("/umbraco/users", writerLinks);
        Assert.DoesNotContain("/umbraco/audit", writerLinks);
        Assert.DoesNotContain("/umbraco/messages", writerLinks);
        Assert.DoesNotContain("/umbraco/webhooks", writerLinks);
        Assert.Contains("/umbraco/webhooks", adminLinks);
        Assert.Contains("/umbraco/messages", adminLinks);
        Assert.Contains("/umbraco/mail", adminLinks);
        Assert.Contains("/umbraco", writerLinks);
        Assert.Contains("/umbraco/users", adminLinks);
        Assert.Contains("/umbraco/audit", adminLinks);
    }

    /// <summary>
    /// HTML allows at most three fractional digits in a <c>&lt;time datetime&gt;</c>; .NET's round-trip format writes
    /// seven, which the validator refused on the audit page.
    /// </summary>
    private static void AssertMachineReadableTimesAreValidHtml(string url, string html)
    {
        foreach (var value in Infrastructure.Html.Parse(html).QuerySelectorAll("time[datetime]").Select(time => time.GetAttribute("datetime")!))
        {
            Assert.True(ValidHtmlDateTime().IsMatch(value), $"{url} has <time datetime=\"{value}\">, not a valid HTML date or time.");
        }
    }

    [System.Text.RegularExpressions.GeneratedRegex(
        @"^\d{4}-\d{2}(-\d{2})?$|^(\d{4}-\d{2}-\d{2}[T ])?\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:?\d{2})?$")]
    private static partial System.Text.RegularExpressions.Regex ValidHtmlDateTime();

    private static async Task<List<string>> NavigationAsync(HttpClient client) =>
        (await Infrastructure.Html.GetDocumentAsync(client, "/umbraco")).QuerySelectorAll("nav.bo-nav a").Select(a => a.GetAttribute("href")!).ToList();

    private HashSet<string> BackofficeRoutesOfTheApp() =>
        app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Select(RouteOf)
            .Where(route => route == "umbraco" || route.StartsWith("umbraco/", StringComparison.Ordinal))
            .ToHashSet(StringComparer.Ordinal);

    /// <summary>A route as written, without the slashes around it that endpoints mapped in code (the delivery API's group) have and pages do not.</summary>
    private static string RouteOf(RouteEndpoint endpoint) => (endpoint.RoutePattern.RawText ?? "").Trim('/');

    /// <summary>
    /// The URL to request for a route: <c>{id}</c> is the signed-in user (users/edit), the other parameters are records
    /// that exist (a role that may open a page must get the page, not a 404), or placeholders of the right shape.
    /// </summary>
    private static string Url(string route, string id, Dictionary<string, string> samples) =>
        "/" + (samples.TryGetValue(route, out var sample) ? sample : route
            .Replace("{id}", id, StringComparison.Ordinal)
            .Replace("{key:guid}", ContentKey, StringComparison.Ordinal)
            .Replace("{id:guid}", Guid.Empty.ToString(), StringComparison.Ordinal)
            .Replace("{id:long}", "0", StringComparison.Ordinal)
            .Replace("{expert}", "talha", StringComparison.Ordinal));

    /// <summary>Each role's test books the next free slot (a new test class instance per test, so static).</summary>
    private static int _sampleBookings;

    /// <summary>A message, a booking and its mails, made for the owner's detail pages.</summary>
    private async Task<Dictionary<string, string>> SampleRecordsAsync() => await app.WithScopeAsync(async services =>
    {
        var db = services.GetRequiredService<Portfolio.Web.Data.PortfolioDbContext>();
        var message = new Portfolio.Web.Contact.ContactMessage
        {
            Id = Guid.CreateVersion7(), Name = "Ada", Email = "ada@example.com", Subject = "Role matrix", Message = "A message for the role matrix.",
            Source = "form", ContentHash = Guid.NewGuid().ToString("N"), CreatedUtc = app.Clock.GetUtcNow().UtcDateTime,
        };
        db.ContactMessages.Add(message);
        await db.SaveChangesAsync();
        var bookings = services.GetRequiredService<Portfolio.Web.Booking.BookingService>();
        var expert = (await bookings.FindExpertAsync("talha", default))!;
        var slots = await bookings.FreeSlotsAsync(expert, app.Clock.GetUtcNow().UtcDateTime.Date, 28, default);
        var booked = Assert.IsType<Portfolio.Web.Booking.BookingResult.Created>(await bookings.BookAsync(
            new Portfolio.Web.Booking.BookingRequest("talha", slots[Interlocked.Increment(ref _sampleBookings)].StartUtc, "Grace", $"matrix-{Guid.NewGuid():N}@example.com",
                null, "Role matrix", null, "UTC"), "https://localhost", null, default));
        var mail = await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.MaxAsync(db.EmailOutbox, m => m.Id);
        var (webhook, _) = await services.GetRequiredService<Portfolio.Web.Webhooks.WebhookAdministration>().CreateAsync(
            new("Role matrix", "https://hooks.example.com/role-matrix", [Portfolio.Web.Webhooks.WebhookEventTypes.BookingCreated], Enabled: false), default);
        return new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["umbraco/messages/{id:guid}"] = $"umbraco/messages/{message.Id}",
            ["umbraco/bookings/{id:guid}"] = $"umbraco/bookings/{booked.Booking.Id}",
            ["umbraco/mail/{id:long}"] = $"umbraco/mail/{mail}",
            ["umbraco/webhooks/{id:guid}"] = $"umbraco/webhooks/{webhook.Id}",
        };
    });

    private static bool IsSignInRedirect(HttpResponseMessage response) =>
        response.StatusCode == HttpStatusCode.Redirect && response.Headers.Location?.PathAndQuery().StartsWith("/umbraco/login?", StringComparison.Ordinal) == true;

    private static bool IsAccessDenied(HttpResponseMessage response) =>
        response.StatusCode == HttpStatusCode.Forbidden ||
        (response.StatusCode == HttpStatusCode.Redirect && response.Headers.Location?.PathAndQuery().StartsWith("/umbraco/access-denied", StringComparison.Ordinal) == true);
}
