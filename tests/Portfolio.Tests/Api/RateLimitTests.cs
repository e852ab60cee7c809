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
