using Microsoft.AspNetCore.Hosting;
using Portfolio.Tests.Infrastructure;

namespace Portfolio.Tests.Delivery;

/// <summary>The app with a preview key and one allowed origin for the content delivery API, its read limit raised.</summary>
public sealed class DeliveryApp : PortfolioApp
{
    public const string PreviewKey = "delivery-preview-key-0123456789abcdef";
    public const string AllowedOrigin = "https://app.example.com";

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        UnthrottledPortfolioApp.RaiseRateLimits(builder);
        builder.UseSetting("Delivery:PreviewApiKey", PreviewKey);
        builder.UseSetting("Delivery:AllowedOrigins:0", AllowedOrigin);
    }
}
