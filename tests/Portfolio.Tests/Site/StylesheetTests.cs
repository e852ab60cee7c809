using Portfolio.Tests.Infrastructure;
namespace Portfolio.Tests.Site;

/// <summary>
/// The stylesheets parse as their authors meant. A rule left without its closing brace does not break the file
/// visibly: the browser (CSS nesting) reads every later rule as nested inside it, so they only apply within that
/// element. That is how the backoffice's whole phone layout went missing for a while.
/// </summary>
[ProviderIndependent]
public sealed class StylesheetTests
{
    public static TheoryData<string> Stylesheets() =>
        [.. Directory.GetFiles(Path.Combine(RepositoryRoot(), "wwwroot", "css"), "*.css").Select(path => Path.GetFileName(path)).Order()];

    [Theory]
    [MemberData(nameof(Stylesheets))]
    public void EveryRuleIsClosedAtTheLevelItOpened(string file)
    {
        var css = File.ReadAllText(Path.Combine(RepositoryRoot(), "wwwroot", "css", file));
        var depth = 0;
        var line = 1;
        var topLevelLine = 0;
        var topLevelIsAtRule = false;
        var selectorStart = 0; // where the text before the next "{" begins: after the last brace, semicolon or comment
        for (var index = 0; index < css.Length; index++)
        {
            var character = css[index];
            if (character == '\n')
            {
                line++;
            }
            else if (character == '/' && index + 1 < css.Length && css[index + 1] == '*')
            {
                var end = css.IndexOf("*/", index + 2, StringComparison.Ordinal);
                Assert.True(end >= 0, $"{file}:{line}: a comment is never closed");
                line += css.AsSpan(index, end - index).Count('\n');
                index = end + 1;
                selectorStart = index + 1;
            }
            else if (character is '"' or '\'')
            {
                var end = index + 1;
                while (end < css.Length && css[end] != character)
                {
                    end += css[end] == '\\' ? 2 : 1; // an escaped quote does not end the string
                }

                Assert.True(end < css.Length, $"{file}:{line}: a string is never closed");
                index = end;
            }
            else if (character == ';')
            {
                selectorStart = index + 1;
            }
            else if (character == '{')
            {
                // Only at-rules (@media, @supports…) hold other rules here; plain rules are never nested.
                var selector = css[selectorStart..index].Trim();
                Assert.True(depth == 0 || topLevelIsAtRule, $"{file}:{line}: \"{selector}\" opens inside the rule that starts on line {topLevelLine}, which is never closed");
                if (depth == 0)
                {
                    topLevelLine = line;
                    topLevelIsAtRule = selector.StartsWith('@');
                }

                depth++;
                selectorStart = index + 1;
            }
            else if (character == '}')
            {
                depth--;
                selectorStart = index + 1;
                Assert.True(depth >= 0, $"{file}:{line}: a closing brace without an opening one");
            }
        }

        Assert.True(depth == 0, $"{file}: the rule that starts on line {topLevelLine} is never closed");
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Portfolio.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("Portfolio.sln not found above the test output.");
    }
}
