using System.Diagnostics;
using Microsoft.AspNetCore.Hosting;
using Portfolio.Tests.Email;
using Portfolio.Tests.Infrastructure;

namespace Portfolio.Tests.Backup;

/// <summary><c>dotnet Portfolio.Web.dll backup|restore …</c> as the operator runs it: a process, its exit code and its two streams.</summary>
public static class BackupTool
{
    public sealed record Result(int ExitCode, IReadOnlyList<string> Output, IReadOnlyList<string> Errors)
    {
        public override string ToString() => $"exit {ExitCode}\nstdout:\n{string.Join('\n', Output)}\nstderr:\n{string.Join('\n', Errors)}";
    }

    /// <summary>The content root first, as the image's entry point puts it (<c>dotnet … --contentRoot /app backup --to …</c>).</summary>
    public static Task<Result> BackupAsync(string contentRoot, TestDatabase database, string file) =>
        RunAsync(["--contentRoot", contentRoot, "backup", "--to", file, .. PortfolioProcess.DatabaseSettings(database)]);

    public static Task<Result> RestoreAsync(string contentRoot, TestDatabase database, string file, params string[] options) =>
        RunAsync(["restore", "--from", file, "--contentRoot", contentRoot, .. PortfolioProcess.DatabaseSettings(database), .. options]);

    public static async Task<Result> RunAsync(IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(PortfolioProcess.AppDll);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start dotnet.");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(deadline.Token);
        static List<string> Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
        return new Result(process.ExitCode, Lines(await output), Lines(await errors));
    }
}

/// <summary>
/// The SMTP app on a server the test owns, so that the app a backup is made of and the app restored from it deliver
/// to the same Maildir, and a mail sent by both shows as two copies there.
/// </summary>
public class SharedSmtpApp(SmtpTestServer smtp) : SmtpPortfolioApp
{
    protected override Task<SmtpTestServer> StartSmtpAsync() => Task.FromResult(smtp);

    // The test stops the server after both apps.
    protected override Task AfterAppStoppedAsync() => Task.CompletedTask;
}

/// <summary>An app started on what <c>restore</c> made of an archive: a fresh content root and a fresh database.</summary>
public sealed class RestoredApp(SmtpTestServer smtp, string archive) : SharedSmtpApp(smtp)
{
    public BackupTool.Result? Restore { get; private set; }

    // PostgreSQL: a name only; the restore creates the database (and the fixture drops it).
    protected override Task<TestDatabase> CreateDatabaseAsync() => Task.FromResult(TestDatabase.NotYetCreated());

    protected override async Task BeforeAppStartsAsync()
    {
        await base.BeforeAppStartsAsync();
        Restore = await BackupTool.RestoreAsync(ContentRoot, Database, archive);
        if (Restore.ExitCode != 0)
        {
            throw new InvalidOperationException("The restore failed: " + Restore);
        }
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        // Only what the restore left: no sample import on top (the database is not empty anyway).
        builder.UseSetting("Content:ImportSampleContent", "false");
    }
}
