using System.Reflection;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Portfolio.Web.Infrastructure;

namespace Portfolio.Tests.Infrastructure;

/// <summary>
/// Every setting is checked when the app starts, before it touches a database: a bad one stops the start with one
/// line that names the key to change. Most cases run in process (the real Program, its registrations and
/// validators); a few run the app as a real process, for the exit code and the output an operator sees.
/// </summary>
[ProviderIndependent]
public sealed class StartupSettingsTests(EmptyPortfolioApp app) : IClassFixture<EmptyPortfolioApp>
{
    [Theory]
    [InlineData("Email:Dispatcher:Concurrency", "0", "Email:Dispatcher:Concurrency")]
    [InlineData("Email:Dispatcher:BatchSize", "0", "Email:Dispatcher:BatchSize")]
    [InlineData("Email:Dispatcher:PollInterval", "00:00:00", "Email:Dispatcher:PollInterval")]
    [InlineData("Email:Dispatcher:PollInterval", "soon", "Email:Dispatcher:PollInterval")]
    [InlineData("Email:Dispatcher:Lease", "-00:01:00", "Email:Dispatcher:Lease")]
    [InlineData("Email:Dispatcher:MaxDelay", "00:00:05", "Email:Dispatcher:MaxDelay")]
    [InlineData("Email:Smtp:Port", "0", "Email:Smtp:Port")]
    [InlineData("Email:Smtp:Port", "70000", "Email:Smtp:Port")]
    [InlineData("Email:Smtp:TimeoutSeconds", "0", "Email:Smtp:TimeoutSeconds")]
    [InlineData("Email:Transport", "Smtp", "Email:Smtp:Host")]
    [InlineData("Email:From", "nobody", "Email:From")]
    [InlineData("Email:OwnerAddress", "", "Email:OwnerAddress")]
    [InlineData("Email:PickupDirectory", "", "Email:PickupDirectory")]
    [InlineData("RateLimiting:Reads:WindowSeconds", "0", "RateLimiting:Reads:WindowSeconds")]
    [InlineData("RateLimiting:ContactWrites:PermitLimit", "0", "RateLimiting:ContactWrites:PermitLimit")]
    [InlineData("RateLimiting:BookingWrites:WindowSeconds", "-5", "RateLimiting:BookingWrites:WindowSeconds")]
    [InlineData("Content:SchedulerInterval", "00:00:00", "Content:SchedulerInterval")]
    [InlineData("Content:ImportSampleContent", "maybe", "Content:ImportSampleContent")]
    [InlineData("Contact:MinimumFillTime", "-00:00:01", "Contact:MinimumFillTime")]
    [InlineData("Contact:MaximumFormAge", "00:00:01", "Contact:MaximumFormAge")]
    [InlineData("Contact:DuplicateWindow", "-00:10:00", "Contact:DuplicateWindow")]
    [InlineData("Contact:MaximumLinks", "-1", "Contact:MaximumLinks")]
    [InlineData("Booking:ChangeMinimumNotice", "-01:00:00", "Booking:ChangeMinimumNotice")]
    [InlineData("Booking:Reminders:Offsets:0", "00:00:00", "Booking:Reminders:Offsets")]
    [InlineData("Booking:Reminders:Interval", "00:00:01", "Booking:Reminders:Interval")]
    [InlineData("Retention:Interval", "00:00:10", "Retention:Interval")]
    [InlineData("Retention:MessagesDays", "0", "Retention:MessagesDays")]
    [InlineData("Backoffice:IdleTimeout", "00:00:00", "Backoffice:IdleTimeout")]
    [InlineData("Backoffice:AbsoluteTimeout", "00:10:00", "Backoffice:AbsoluteTimeout")]
    [InlineData("Backoffice:InitialAdmin:Password", "a password without an address", "Backoffice:InitialAdmin")]
    [InlineData("Media:MaxUploadBytes", "0", "Media:MaxUploadBytes")]
    [InlineData("Email:Dkim:Selector", "bad selector!", "Email:Dkim:Selector")]
    [InlineData("Database:Provider", "Oracle", "Database:Provider")]
    [InlineData("Database:Provider", "Postgres", "ConnectionStrings:Portfolio")]
    [InlineData("Database:SqliteSynchronous", "7", "Database:SqliteSynchronous")]
    [InlineData("Database:SqliteBusyTimeout", "00:00:00", "Database:SqliteBusyTimeout")]
    [InlineData("Database:StartupTimeout", "-00:00:01", "Database:StartupTimeout")]
    [InlineData("ConnectionStrings:Portfolio", "not a connection string", "ConnectionStrings:Portfolio")]
    [InlineData("ForwardedHeaders:KnownProxies:0", "10.0.0.300", "ForwardedHeaders:KnownProxies")]
    [InlineData("ForwardedHeaders:KnownNetworks:0", "10.0.0.0/33", "ForwardedHeaders:KnownNetworks")]
    [InlineData("Logs:BatchInterval", "00:00:00", "Logs:BatchInterval")]
    [InlineData("Logs:FileFlushInterval", "01:00:00", "Logs:FileFlushInterval")]
    [InlineData("Logs:FileFormat", "Xml", "Logs:FileFormat")]
    [InlineData("Logs:ConsoleFormat", "7", "Logs:ConsoleFormat")]
    [InlineData("Site:PublicUrl", "www.example.com", "Site:PublicUrl")]
    [InlineData("Site:PublicUrl", "ftp://www.example.com", "Site:PublicUrl")]
    [InlineData("Site:PublicUrl", "https://www.example.com/?from=mail", "Site:PublicUrl")]
    [InlineData("Delivery:AllowedOrigins:0", "https://app.example.com/api", "Delivery:AllowedOrigins")]
    [InlineData("Delivery:AllowedOrigins:0", "app.example.com", "Delivery:AllowedOrigins")]
    [InlineData("Delivery:PreviewApiKey", "short", "Delivery:PreviewApiKey")]
    [InlineData("Delivery:MaxTake", "0", "Delivery:MaxTake")]
    public void ABadSettingStopsTheStartWithOneLineThatNamesIt(string key, string value, string named)
    {
        using var failing = new AppWithSetting(key, value);

        var exception = Record.Exception(() => failing.Server);

        Assert.NotNull(exception);
        var line = StartupProblem.Describe(exception);
        Assert.True(line is not null, $"Not a known start-up problem: {exception}");
        Assert.Contains(named, line, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', line);
    }

    [Theory]
    [InlineData("Email:Dispatcher:Concurrency", "0")]
    [InlineData("Email:Smtp:Port", "0")]
    [InlineData("RateLimiting:Reads:WindowSeconds", "0")]
    [InlineData("Logs:BatchInterval", "00:00:00")]
    public async Task AsAProcessABadSettingExitsWithCodeOneAndASingleLineWithoutAStackTrace(string key, string value)
    {
        var (exitCode, lines) = await PortfolioProcess.RunUntilExitAsync([$"--{key}={value}"], TimeSpan.FromSeconds(60));

        Assert.Equal(StartupProblem.ExitCode, exitCode);
        var line = Assert.Single(lines, line => !string.IsNullOrWhiteSpace(line));
        Assert.Contains(key, line, StringComparison.Ordinal);
        Assert.Contains("FTL", line, StringComparison.Ordinal);
    }

    /// <summary>
    /// Every class bound from a configuration section (it has a <c>SectionName</c>) has a source-generated validator
    /// that runs on start, and every member that is itself a group of settings is validated too.
    /// </summary>
    [Fact]
    public void EverySettingsSectionAndEveryNestedGroupIsValidatedOnStart()
    {
        var sections = typeof(StartupProblem).Assembly.GetTypes()
            .Where(type => type.GetField("SectionName", BindingFlags.Public | BindingFlags.Static) is { IsLiteral: true })
            // Read before the host exists, to set up logging itself (LoggingExtensions).
            .Where(type => type != typeof(LogSettings))
            .ToList();
        Assert.NotEmpty(sections);

        var unvalidated = sections
            .Where(type => !app.Services.GetServices(typeof(IValidateOptions<>).MakeGenericType(type))
                .Any(validator => validator!.GetType().IsGenericType && validator.GetType().GetGenericTypeDefinition() == typeof(SettingNameValidator<>)))
            .Select(type => type.Name);
        Assert.Empty(unvalidated);

        var nestedWithoutValidation = sections.SelectMany(NestedGroups)
            .Where(property => property.GetCustomAttribute<ValidateObjectMembersAttribute>() is null)
            .Select(property => $"{property.DeclaringType!.Name}.{property.Name}");
        Assert.Empty(nestedWithoutValidation);
    }

    /// <summary>Properties whose type is another settings class of the app (not a string, number, list or enum).</summary>
    private static IEnumerable<PropertyInfo> NestedGroups(Type options) =>
        options.GetProperties()
            .Where(property => property.PropertyType.IsClass && property.PropertyType.Assembly == options.Assembly)
            .SelectMany(property => NestedGroups(property.PropertyType).Prepend(property));

    /// <summary>The app in process with one setting changed, on a content root of its own; it is not expected to start.</summary>
    private sealed class AppWithSetting(string key, string value) : WebApplicationFactory<Program>
    {
        private readonly string _contentRoot = Directory.CreateTempSubdirectory("portfolio-settings-").FullName;

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseContentRoot(_contentRoot);
            builder.UseEnvironment("Testing");
            builder.UseSetting(key, value);
        }

        protected override void Dispose(bool disposing)
        {
            base.Dispose(disposing);
            try
            {
                Directory.Delete(_contentRoot, recursive: true);
            }
            catch (IOException)
            {
                // A log file may still be held open for a moment; the temp folder is cleaned by the OS.
            }
        }
    }
}
