namespace Portfolio.TestSupport;

/// <summary>The checkout the tests were built from (the folder holding Portfolio.sln).</summary>
public static class Repository
{
    public static string Root { get; } = FindRoot();

    /// <summary>src/Portfolio.Web/bin/{configuration}/net10.0/Portfolio.Web.dll of this checkout (built with the tests).</summary>
    public static string WebAppDll(string configuration) =>
        Path.Combine(Root, "src", "Portfolio.Web", "bin", configuration, "net10.0", "Portfolio.Web.dll");

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
