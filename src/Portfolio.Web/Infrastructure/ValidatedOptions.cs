using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace Portfolio.Web.Infrastructure;

/// <summary>
/// Options bound to a configuration section and checked once at start, before the database is touched, by a
/// validator the options source generator writes (<c>[OptionsValidator]</c>, nested members included through
/// <c>[ValidateObjectMembers]</c>). An operator reads the setting to change in each failure:
/// <c>Email:Dispatcher:Concurrency</c>, not the C# member <c>EmailOptions.Dispatcher.Concurrency</c>.
/// </summary>
public static class ValidatedOptionsExtensions
{
    public static OptionsBuilder<TOptions> AddValidatedOptions<TOptions, TValidator>(this IServiceCollection services, string sectionName)
        where TOptions : class
        where TValidator : class, IValidateOptions<TOptions>, new()
    {
        services.AddSingleton<IValidateOptions<TOptions>>(new SettingNameValidator<TOptions>(new TValidator(), sectionName));
        return services.AddOptions<TOptions>().BindConfiguration(sectionName).ValidateOnStart();
    }

    /// <summary>
    /// Runs every check registered with <c>ValidateOnStart</c> now, so that a bad setting stops the app before it
    /// migrates a database or imports content (the host would otherwise check only when it starts listening).
    /// </summary>
    public static void ValidateSettings(this IServiceProvider services) =>
        services.GetService<IStartupValidator>()?.Validate();
}

/// <summary>
/// Hands the generated validator the section's name as the options' name: its messages then say
/// <c>Concurrency: The field Email.Dispatcher.Concurrency must be…</c>, which becomes
/// <c>The field Email:Dispatcher:Concurrency must be…</c>, the key as an operator writes it.
/// </summary>
internal sealed class SettingNameValidator<TOptions>(IValidateOptions<TOptions> generated, string sectionName) : IValidateOptions<TOptions>
    where TOptions : class
{
    private readonly Regex _memberPath = new($@"(?<![\w.:]){Regex.Escape(sectionName)}(\.[A-Za-z_]\w*)+", RegexOptions.CultureInvariant);
    private readonly Regex _memberPrefix = new(@"^[A-Za-z_]\w*: ", RegexOptions.CultureInvariant);

    public ValidateOptionsResult Validate(string? name, TOptions options)
    {
        var result = generated.Validate(string.IsNullOrEmpty(name) ? sectionName : name, options);
        return result.Failed ? ValidateOptionsResult.Fail(result.Failures!.Select(SettingNames)) : result;
    }

    private string SettingNames(string failure)
    {
        var named = _memberPath.Replace(failure, path => path.Value.Replace('.', ':'));
        // The generator puts the bare member name in front; the message itself names the whole key now.
        return named.Contains(sectionName + ":", StringComparison.Ordinal) ? _memberPrefix.Replace(named, "") : named;
    }
}
