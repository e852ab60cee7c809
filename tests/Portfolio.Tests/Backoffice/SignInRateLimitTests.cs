using System.Net;
using Microsoft.AspNetCore.Http;
using Portfolio.Tests.Infrastructure;
using Portfolio.Web.Backoffice;
using Portfolio.Web.Infrastructure;

namespace Portfolio.Tests.Backoffice;

/// <summary>The backoffice app with the sign-in limit per client as it ships (no <c>RateLimiting:SignIn</c> setting).</summary>
public sealed class ProductionSignInLimitApp : BackofficeApp
{
    protected override bool RaisesSignInLimit => false;
}

public sealed class SignInRateLimitTests(ProductionSignInLimitApp app) : IClassFixture<ProductionSignInLimitApp>
{
    [Fact]
    public async Task Finding04_OneClientSprayingPasswordsOverManyAddressesGetsTheFriendly429PageAcrossEverySignInStep()
    {
        var limit = new RateLimitingOptions().SignIn.PermitLimit;
        var client = app.CreateBrowser();

        // Each address is tried once, so the per-account lockout never triggers: only a limit per client stops this.
        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? last = null;
        for (var attempt = 0; attempt <= limit; attempt++)
        {
            last = await client.SignInAsync($"sprayed-{attempt}-{Guid.NewGuid():N}@example.com", "Summer2026!Summer2026!");
            statuses.Add(last.StatusCode);
        }

        Assert.Equal([.. Enumerable.Repeat(HttpStatusCode.OK, limit), HttpStatusCode.TooManyRequests], statuses);
        var retryAfter = last!.Headers.RetryAfter?.Delta;
        Assert.True(retryAfter is { } wait && wait > TimeSpan.Zero && wait <= TimeSpan.FromSeconds(new RateLimitingOptions().SignIn.WindowSeconds),
            $"A 429 says when to retry (Retry-After: {last.Headers.RetryAfter}).");
        Assert.Equal("text/html", last.Content.Headers.ContentType?.MediaType);
        var page = Html.Parse(await last.Content.ReadAsStringAsync()).Text();
        Assert.Contains("Too many requests", page);
        var minutes = (int)Math.Ceiling(retryAfter!.Value.TotalSeconds / 60);
        Assert.Contains($"Please wait {minutes} minute", page);

        // The second steps share the budget: a sprayer cannot move on to guessing codes.
        var twoFactor = await client.PostFormAsync(BackofficeRoutes.LoginTwoFactor, [new("Code", "123456")]);
        Assert.Equal(HttpStatusCode.TooManyRequests, twoFactor.StatusCode);
        // The page's "Code" field does not turn the friendly 429 page into a 500 one.
        Assert.Contains("Too many requests", Html.Parse(await twoFactor.Content.ReadAsStringAsync()).Text());
        Assert.Equal(HttpStatusCode.TooManyRequests, (await client.PostFormAsync("/umbraco/login/recovery-code", [new("Code", "abcde-12345")])).StatusCode);
        // Reading the form is free.
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(BackofficeRoutes.Login)).StatusCode);

        // Another client is not held back by this one. (Its post has no antiforgery token, so the page refuses it,
        // but not the limiter.)
        var other = await app.Server.SendAsync(context =>
        {
            context.Request.Method = HttpMethods.Post;
            context.Request.Scheme = "https";
            context.Request.Host = new HostString("localhost");
            context.Request.Path = BackofficeRoutes.Login;
            context.Connection.RemoteIpAddress = IPAddress.Parse("203.0.113.7");
        });
        Assert.NotEqual(StatusCodes.Status429TooManyRequests, other.Response.StatusCode);
    }
}
