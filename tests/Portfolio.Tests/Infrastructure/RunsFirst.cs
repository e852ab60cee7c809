using System.Reflection;
using Portfolio.Tests.Infrastructure;
using Xunit.Abstractions;

[assembly: TestCollectionOrderer(RunsFirstOrderer.TypeName, RunsFirstOrderer.AssemblyName)]

namespace Portfolio.Tests.Infrastructure;

/// <summary>
/// Marks a test class that takes far longer than the rest (a fuzz run, processes killed and restarted, containers, nginx):
/// <see cref="RunsFirstOrderer"/> starts it before the others.
/// </summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class RunsFirstAttribute : Attribute;

/// <summary>
/// Starts the classes marked <see cref="RunsFirstAttribute"/> first, then the rest in xunit's own order.
/// xunit runs four classes at a time (xunit.runner.json) and starts the next one only when one ends, so a class of 40 s
/// that happened to come last ran on alone at the end of the suite with the other three threads idle (the fuzz run: the
/// last 15–20 s of the PostgreSQL suite). Started first, the long classes run beside the many short ones.
/// </summary>
public sealed class RunsFirstOrderer : ITestCollectionOrderer
{
    public const string TypeName = "Portfolio.Tests.Infrastructure.RunsFirstOrderer";
    public const string AssemblyName = "Portfolio.Tests";

    /// <summary>
    /// The display names xunit gives the marked classes' collections (one collection per class: "Test collection for"
    /// and the class's full name), in the order they start.
    /// </summary>
    private static readonly List<string> First = typeof(RunsFirstOrderer).Assembly.GetTypes()
        .Where(type => type.GetCustomAttribute<RunsFirstAttribute>() is not null)
        .OrderBy(type => type.FullName, StringComparer.Ordinal)
        .Select(type => "Test collection for " + type.FullName)
        .ToList();

    public IEnumerable<ITestCollection> OrderTestCollections(IEnumerable<ITestCollection> testCollections) =>
        testCollections
            .Select((collection, index) => (collection, index, rank: First.IndexOf(collection.DisplayName)))
            .OrderBy(entry => entry.rank < 0 ? int.MaxValue : entry.rank)
            .ThenBy(entry => entry.index)
            .Select(entry => entry.collection);
}
