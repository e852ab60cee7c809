using Xunit.Abstractions;
using Xunit.Sdk;

namespace Portfolio.Tests.Infrastructure;

/// <summary>
/// Marks a test class whose tests never reach the database the run chose: pure logic, the SMTP transport, settings
/// validation, or an app process started on its own SQLite file. Running such a class again in the PostgreSQL run
/// repeats the SQLite run exactly, so tests/run.sh leaves it out there (the trait <c>Provider=Independent</c>, filtered
/// with <c>Provider!=Independent</c>); every test still runs once per run.
/// </summary>
[TraitDiscoverer("Portfolio.Tests.Infrastructure.ProviderIndependentTraitDiscoverer", "Portfolio.Tests")]
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class ProviderIndependentAttribute : Attribute, ITraitAttribute
{
    public const string Trait = "Provider";

    public const string Value = "Independent";
}

/// <summary>Turns <see cref="ProviderIndependentAttribute"/> into the trait the test runner filters on.</summary>
public sealed class ProviderIndependentTraitDiscoverer : ITraitDiscoverer
{
    public IEnumerable<KeyValuePair<string, string>> GetTraits(IAttributeInfo traitAttribute) =>
        [new(ProviderIndependentAttribute.Trait, ProviderIndependentAttribute.Value)];
}
