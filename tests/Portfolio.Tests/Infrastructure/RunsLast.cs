using Xunit.Abstractions;
using Xunit.Sdk;

namespace Portfolio.Tests.Infrastructure;

/// <summary>
/// Marks the test of a class that changes its shared fixture for good (kills a process, say): with
/// <see cref="RunsLastOrderer"/> on the class it runs after the others, which still find the fixture whole.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class RunsLastAttribute : Attribute;

/// <summary>Orders a class's tests by name, those marked <see cref="RunsLastAttribute"/> after the rest.</summary>
public sealed class RunsLastOrderer : ITestCaseOrderer
{
    public const string TypeName = "Portfolio.Tests.Infrastructure.RunsLastOrderer";
    public const string AssemblyName = "Portfolio.Tests";

    public IEnumerable<TTestCase> OrderTestCases<TTestCase>(IEnumerable<TTestCase> testCases) where TTestCase : ITestCase =>
        testCases
            .OrderBy(test => test.TestMethod.Method.GetCustomAttributes(typeof(RunsLastAttribute).AssemblyQualifiedName!).Any())
            .ThenBy(test => test.TestMethod.Method.Name, StringComparer.Ordinal);
}
