namespace Portfolio.Tests.Infrastructure;

/// <summary>The checkout the tests were built from (the folder holding Portfolio.sln).</summary>
public static class Repository
{
    public static string Root { get; } = FindRoot();

    private static string FindRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Portfolio.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("Portfolio.sln not found above the test output.");
    }
}
