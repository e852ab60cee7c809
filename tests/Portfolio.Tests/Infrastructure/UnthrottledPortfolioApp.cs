using Microsoft.AspNetCore.Hosting;

namespace Portfolio.Tests.Infrastructure;

/// <summary>
/// The app with its rate limits raised far above what a test sends, through the same configuration keys
/// an operator (or a load test) would use. The defaults (5 contact writes per 10 minutes) would turn
/// most of a table of requests into 429s.
/// </summary>
public class UnthrottledPortfolioApp : PortfolioApp
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        RaiseRateLimits(builder);
    }

    /// <summary>Every rate limit far above what a test sends, for fixtures that derive from another app class.</summary>
    public static void RaiseRateLimits(IWebHostBuilder builder)
    {
        foreach (var policy in new[] { "ContactWrites", "BookingWrites", "Reads" })
        {
            builder.UseSetting($"RateLimiting:{policy}:PermitLimit", "1000000");
            builder.UseSetting($"RateLimiting:{policy}:WindowSeconds", "1");
        }
    }
}

/// <summary>The unthrottled app over real HTTP: body size limits (413) are enforced by the server, which TestServer is not.</summary>
public sealed class UnthrottledKestrelPortfolioApp : UnthrottledPortfolioApp
{
    protected override bool RunsOnKestrel => true;
}
