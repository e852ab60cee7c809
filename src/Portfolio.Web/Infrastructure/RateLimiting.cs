using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace Portfolio.Web.Infrastructure;

/// <summary>One fixed-window limit per client IP.</summary>
public sealed class RateLimitPolicyOptions
{
    [Range(1, 1_000_000)] public int PermitLimit { get; set; }
    [Range(1, 86_400)] public int WindowSeconds { get; set; }
}

/// <summary>
/// The <c>RateLimiting</c> section: an operator (or a load test) changes the limits without a rebuild.
/// </summary>
public sealed class RateLimitingOptions
{
    public const string SectionName = "RateLimiting";

    [ValidateObjectMembers] public RateLimitPolicyOptions ContactWrites { get; set; } = new() { PermitLimit = 5, WindowSeconds = 600 };
    [ValidateObjectMembers] public RateLimitPolicyOptions BookingWrites { get; set; } = new() { PermitLimit = 10, WindowSeconds = 600 };
    [ValidateObjectMembers] public RateLimitPolicyOptions Reads { get; set; } = new() { PermitLimit = 120, WindowSeconds = 60 };

    /// <summary>
    /// Backoffice sign-in, two-factor and recovery-code posts together. On top of the per-account lockout: without it one
    /// client could try a password on every address, or lock every account, as fast as it can post.
    /// </summary>
    [ValidateObjectMembers] public RateLimitPolicyOptions SignIn { get; set; } = new() { PermitLimit = 10, WindowSeconds = 300 };
}

[OptionsValidator]
public sealed partial class RateLimitingOptionsValidator : IValidateOptions<RateLimitingOptions>;

/// <summary>
/// The framework's rate limiter (AspNetCoreRateLimit is not served here), partitioned by the client's IP
/// as the forwarded-headers middleware established it (trusted proxies only). Rejections are 429
/// ProblemDetails with Retry-After, not the framework's default 503.
/// </summary>
public static class RateLimitingExtensions
{
    /// <summary>
    /// Contact messages, through the API and the contact page alike: one budget per client, so a sender cannot
    /// double it by using both. Only POSTs spend it: reading the page with the form is free.
    /// </summary>
    public const string ContactWrites = "contact-writes";

    /// <summary>Bookings, cancellations and reschedules through the API and the pages alike; only POSTs spend it.</summary>
    public const string BookingWrites = "booking-writes";

    public const string Reads = "reads";

    /// <summary>The backoffice's sign-in steps (password, authenticator code, recovery code); only POSTs spend it.</summary>
    public const string SignIn = "sign-in";

    public static WebApplicationBuilder AddPortfolioRateLimiting(this WebApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<RateLimitingOptions, RateLimitingOptionsValidator>(RateLimitingOptions.SectionName);
        builder.Services.AddRateLimiter(options =>
        {
            // The framework keys each limiter by policy name and partition: the API and the pages share a budget
            // only by sharing the policy, hence one policy per budget, used by both.
            options.AddPolicy(ContactWrites, context => PostsOnly(context, settings => settings.ContactWrites, ContactWrites));
            options.AddPolicy(BookingWrites, context => PostsOnly(context, settings => settings.BookingWrites, BookingWrites));
            options.AddPolicy(Reads, context => Partition(context, settings => settings.Reads, Reads));
            options.AddPolicy(SignIn, context => PostsOnly(context, settings => settings.SignIn, SignIn));
            options.OnRejected = async (rejection, cancellationToken) =>
            {
                var context = rejection.HttpContext;
                var retryAfter = rejection.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(60);
                var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
                context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
                context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                if (!RequestKind.IsApi(context.Request))
                {
                    // A browser's form post: leave the body empty so the status-code page shows the friendly 429 page.
                    return;
                }

                var problems = context.RequestServices.GetRequiredService<IProblemDetailsService>();
                await problems.WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = context,
                    ProblemDetails = new ProblemDetails
                    {
                        Status = StatusCodes.Status429TooManyRequests,
                        Title = "Too many requests.",
                        Detail = $"Please wait {seconds} seconds and try again.",
                    },
                });
            };
        });
        return builder;
    }

    /// <summary>After the output cache (a cached public page spends no budget) and before sign-in.</summary>
    public static WebApplication UsePortfolioRateLimiting(this WebApplication app)
    {
        app.UseRateLimiter();
        return app;
    }

    private static RateLimitPartition<string> PostsOnly(HttpContext context, Func<RateLimitingOptions, RateLimitPolicyOptions> select, string policy) =>
        HttpMethods.IsPost(context.Request.Method) ? Partition(context, select, policy) : RateLimitPartition.GetNoLimiter("");

    /// <summary>
    /// The client a limit counts for: an IPv4 address, or an IPv6 address's /64 network. One IPv6 host usually holds a
    /// whole /64 and could otherwise take a fresh address, and a fresh limit, for every request.
    /// </summary>
    internal static string ClientKey(System.Net.IPAddress? address)
    {
        if (address is null)
        {
            return "unknown";
        }

        if (address.IsIPv4MappedToIPv6)
        {
            return address.MapToIPv4().ToString();
        }

        if (address.AddressFamily != System.Net.Sockets.AddressFamily.InterNetworkV6)
        {
            return address.ToString();
        }

        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new System.Net.IPAddress(bytes) + "/64";
    }

    private static RateLimitPartition<string> Partition(HttpContext context, Func<RateLimitingOptions, RateLimitPolicyOptions> select, string policy)
    {
        var settings = select(context.RequestServices.GetRequiredService<Microsoft.Extensions.Options.IOptionsMonitor<RateLimitingOptions>>().CurrentValue);
        var client = ClientKey(context.Connection.RemoteIpAddress);
        // The limits are part of the key, so a changed configuration takes effect for new windows.
        return RateLimitPartition.GetFixedWindowLimiter($"{policy}|{client}|{settings.PermitLimit}|{settings.WindowSeconds}", _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = settings.PermitLimit,
            Window = TimeSpan.FromSeconds(settings.WindowSeconds),
            QueueLimit = 0,
            AutoReplenishment = true,
        });
    }
}
