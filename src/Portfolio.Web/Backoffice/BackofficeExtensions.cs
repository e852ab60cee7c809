using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using Portfolio.Web.Data;
using Portfolio.Web.Infrastructure;

namespace Portfolio.Web.Backoffice;

public static class BackofficeExtensions
{
    /// <summary>
    /// ASP.NET Core Identity on the app's own DbContext, the session cookie, the capability policies, the
    /// <c>/umbraco</c> route and authorization conventions, and the backoffice's services.
    /// </summary>
    public static WebApplicationBuilder AddBackoffice(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddValidatedOptions<BackofficeOptions, BackofficeOptionsValidator>(BackofficeOptions.SectionName)
            .Validate(options => options.AbsoluteTimeout > options.IdleTimeout, "Backoffice:AbsoluteTimeout must be longer than Backoffice:IdleTimeout.")
            .Validate(options => string.IsNullOrWhiteSpace(options.InitialAdmin.Email) == string.IsNullOrEmpty(options.InitialAdmin.Password),
                "Backoffice:InitialAdmin needs both Email and Password (or neither).")
            .Validate(options => string.IsNullOrWhiteSpace(options.InitialAdmin.Email) || TextInput.IsEmail(options.InitialAdmin.Email.Trim()),
                "Backoffice:InitialAdmin:Email is not an e-mail address like name@example.com.");
        services.AddHttpContextAccessor();

        services.AddIdentity<BackofficeUser, IdentityRole>()
            .AddEntityFrameworkStores<PortfolioDbContext>()
            .AddDefaultTokenProviders()
            .AddPasswordValidator<CommonPasswordValidator>()
            .AddClaimsPrincipalFactory<BackofficeClaimsPrincipalFactory>();

        services.AddOptions<IdentityOptions>().Configure<IOptions<BackofficeOptions>>((identity, backoffice) =>
        {
            // Length, not composition (NIST SP 800-63B); CommonPasswordValidator refuses the guessable ones.
            identity.Password.RequiredLength = 12;
            identity.Password.RequiredUniqueChars = 1;
            identity.Password.RequireDigit = false;
            identity.Password.RequireLowercase = false;
            identity.Password.RequireUppercase = false;
            identity.Password.RequireNonAlphanumeric = false;
            identity.Lockout.AllowedForNewUsers = true;
            identity.Lockout.MaxFailedAccessAttempts = backoffice.Value.MaxFailedSignInAttempts;
            identity.Lockout.DefaultLockoutTimeSpan = backoffice.Value.LockoutDuration;
            identity.User.RequireUniqueEmail = true;
            identity.SignIn.RequireConfirmedAccount = false;
        });
        services.AddOptions<CookieAuthenticationOptions>(IdentityConstants.ApplicationScheme)
            .Configure<IOptions<BackofficeOptions>, TimeProvider>((cookie, backoffice, clock) =>
            {
                BackofficeSession.ConfigureApplicationCookie(cookie, backoffice.Value);
                // The same clock as the rest of the app (tests move it to check the timeouts).
                cookie.TimeProvider = clock;
            });
        services.Configure<CookieAuthenticationOptions>(IdentityConstants.TwoFactorUserIdScheme,
            cookie => BackofficeSession.ConfigureTransientCookie(cookie, BackofficeSession.TwoFactorCookieName));
        services.Configure<CookieAuthenticationOptions>(IdentityConstants.TwoFactorRememberMeScheme,
            cookie => BackofficeSession.ConfigureTransientCookie(cookie, "__Host-portfolio-backoffice-2fa-remember"));
        services.Configure<CookieAuthenticationOptions>(IdentityConstants.ExternalScheme,
            cookie => BackofficeSession.ConfigureTransientCookie(cookie, "__Host-portfolio-backoffice-external"));
        services.AddOptions<SecurityStampValidatorOptions>().Configure<TimeProvider>((stamp, clock) =>
        {
            stamp.TimeProvider = clock;
            // Checked on every request: sign-out, lock, deletion and role changes take effect at once.
            // The price is one indexed user lookup per backoffice request.
            stamp.ValidationInterval = TimeSpan.Zero;
            stamp.OnRefreshingPrincipal = BackofficeSession.OnRefreshingPrincipal;
        });
        services.AddOptions<DataProtectionTokenProviderOptions>()
            .Configure<IOptions<BackofficeOptions>>((tokens, backoffice) => tokens.TokenLifespan = backoffice.Value.InvitationLifetime);

        services.AddAuthorization(BackofficePolicies.AddTo);
        services.Configure<RazorPagesOptions>(pages => BackofficeRoutes.Apply(pages.Conventions));

        services.AddSingleton<BackofficeSetup>();
        services.AddScoped<AuditLog>();
        services.AddScoped<BackofficeSignIn>();
        services.AddScoped<BackofficeUserAdministration>();
        services.AddScoped<BackofficeDashboard>();
        services.AddScoped<Content.Editing.ContentPreviewRenderer>();
        return builder;
    }

    /// <summary>
    /// The backoffice's session cookie, read after the output cache: public pages are the same for everyone, so a cached
    /// one needs no reading and decrypting of a cookie (and none is ever cached: backoffice pages have no policy).
    /// Sign-in must stay in the main pipeline, not a branch: the host adds it at the very front when it is missing.
    /// </summary>
    public static WebApplication UseBackoffice(this WebApplication app)
    {
        app.UseAuthentication();
        app.UseAuthorization();
        return app;
    }

    /// <summary>
    /// <c>/umbraco</c>: the Razor Pages area <c>Backoffice</c>, routed and authorized by <see cref="BackofficeRoutes"/>.
    /// Razor Pages have one data source per app, so this and <c>MapPublicSite</c> map the same pages; each names its own.
    /// </summary>
    public static WebApplication MapBackoffice(this WebApplication app)
    {
        app.MapRazorPages();
        return app;
    }

    /// <summary>Creates the roles and the configured first administrator, or logs the one-time setup token.</summary>
    public static Task PrepareBackofficeAsync(this IServiceProvider services) =>
        services.GetRequiredService<BackofficeSetup>().PrepareAsync();
}
