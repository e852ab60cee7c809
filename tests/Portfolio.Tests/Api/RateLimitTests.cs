using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Hosting;
using Portfolio.Tests.Infrastructure;

namespace Portfolio.Tests.Api;

/// <summary>The app with a contact-writes limit of two per window, set through configuration as an operator would.</summary>
public sealed class TightContactLimitPortfolioApp : PortfolioApp
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("RateLimiting:ContactWrites:PermitLimit", "2");
        builder.UseSetting("RateLimiting:ContactWrites:WindowSeconds", "600");
    }
}

public sealed class RateLimitTests(TightContactLimitPortfolioApp app) : IClassFixture<TightContactLimitPortfolioApp>
{
    [Fact]
    public async Task TheThirdContactMessageInAWindowIsA429ProblemWithRetryAfterInSeconds()
    {
        var client = app.CreateClient();

        var first = await client.PostAsync(ApiCalls.ContactMessages, ApiCalls.Json(ApiCalls.ContactMessage()));
        var second = await client.PostAsync(ApiCalls.ContactMessages, ApiCalls.Json(ApiCalls.ContactMessage()));
        var third = await client.PostAsync(ApiCalls.ContactMessages, ApiCalls.Json(ApiCalls.ContactMessage()));

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, second.StatusCode);
        await ApiCalls.ProblemAsync(third, 429);
        var retryAfter = Assert.Single(third.Headers.GetValues("Retry-After"));
        Assert.Matches("^[0-9]+$", retryAfter);
        Assert.InRange(int.Parse(retryAfter, CultureInfo.InvariantCulture), 1, 600);

        // The other policies keep their own budgets: reading slots still works.
        var slots = await client.GetAsync(ApiCalls.Slots("talha"));
        Assert.Equal(HttpStatusCode.OK, slots.StatusCode);
    }
}

/// <summary>The contact form and the contact API spend one budget: using both does not double it.</summary>
public sealed class SharedContactBudgetTests(TightContactLimitPortfolioApp app) : IClassFixture<TightContactLimitPortfolioApp>
{
    [Fact]
    public async Task AfterTheApiSpentTheBudgetTheContactFormIsRefusedToo()
    {
        var client = app.CreateClient();
        Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsync(ApiCalls.ContactMessages, ApiCalls.Json(ApiCalls.ContactMessage()))).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsync(ApiCalls.ContactMessages, ApiCalls.Json(ApiCalls.ContactMessage()))).StatusCode);

        // Reading the page stays free; posting its form is over the limit before anything else is looked at.
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/contact")).StatusCode);
        var form = await client.PostAsync("/contact", new FormUrlEncodedContent([new("Name", "Ada")]));

        Assert.Equal(HttpStatusCode.TooManyRequests, form.StatusCode);
        Assert.True(form.Headers.RetryAfter is not null, "A 429 says when to try again.");
    }
}

/// <summary>Whom a limit counts: one IPv6 host holds a whole /64, so rotating addresses inside it gains nothing.</summary>
public sealed class RateLimitClientKeyTests
{
    [Theory]
    [InlineData("203.0.113.7", "203.0.113.7")]
    [InlineData("::ffff:203.0.113.7", "203.0.113.7")]
    [InlineData("2001:db8:1:2:aaaa:bbbb:cccc:dddd", "2001:db8:1:2::/64")]
    [InlineData("2001:db8:1:2::1", "2001:db8:1:2::/64")]
    [InlineData("2001:db8:1:3::1", "2001:db8:1:3::/64")]
    public void AnIPv4AddressCountsAloneAndAnIPv6AddressCountsWithItsSlash64(string address, string key) =>
        Assert.Equal(key, Portfolio.Web.Infrastructure.RateLimitingExtensions.ClientKey(IPAddress.Parse(address)));

    [Fact]
    public void AClientWithoutAnAddressSharesOneBucket() =>
        Assert.Equal("unknown", Portfolio.Web.Infrastructure.RateLimitingExtensions.ClientKey(null));
}
