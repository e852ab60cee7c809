namespace Portfolio.BrowserTests.Infrastructure;

/// <summary>The test project's source folder, baked in at build time (node_modules and the repository live relative to it).</summary>
[AttributeUsage(AttributeTargets.Assembly)]
public sealed class TestProjectDirectoryAttribute(string path) : Attribute
{
    public string Path { get; } = path;
}

/// <summary>Where the build of the same configuration put Portfolio.Web.dll, baked in at build time.</summary>
[AttributeUsage(AttributeTargets.Assembly)]
public sealed class WebAppAssemblyPathAttribute(string path) : Attribute
{
    public string Path { get; } = path;
}
