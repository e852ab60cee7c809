using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using Npgsql;
using Portfolio.Tests.Infrastructure;
using Portfolio.Web.Backup;

namespace Portfolio.Tests.Backup;

/// <summary>
/// A restore that cannot be done says why in one line on standard error, exits with 1 and leaves the content root and
/// the database as they were: no database, no media, no keys from the archive.
/// </summary>
public sealed class RestoreRefusalTests : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("portfolio-restore-refusal-").FullName;
    private TestDatabase _database = null!;

    private string ContentRoot => Path.Combine(_folder, "site");

    public Task InitializeAsync()
    {
        _database = TestDatabase.NotYetCreated();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _database.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task AMissingFileIsOneLineAndNothingIsRestored()
    {
        var result = await BackupTool.RestoreAsync(ContentRoot, _database, Path.Combine(_folder, "missing.tar.gz"));

        await AssertRefusedAsync(result, "does not exist");
    }

    [Fact]
    public async Task ACorruptArchiveIsOneLineAndNothingIsRestored()
    {
        var archive = WriteArchive(_database.Provider);
        var bytes = await File.ReadAllBytesAsync(archive);
        // Cut in the middle of the media: the manifest and the database read well, the rest does not.
        await File.WriteAllBytesAsync(archive, bytes[..(bytes.Length * 3 / 4)]);

        var result = await BackupTool.RestoreAsync(ContentRoot, _database, archive);

        await AssertRefusedAsync(result, "damaged");
    }

    [Fact]
    public async Task AnArchiveOfTheOtherProviderIsOneLineAndNothingIsRestored()
    {
        var other = _database.IsPostgres ? "Sqlite" : "Postgres";
        var archive = WriteArchive(other);

        var result = await BackupTool.RestoreAsync(ContentRoot, _database, archive);

        await AssertRefusedAsync(result, $"holds a {other} database but Database:Provider is {_database.Provider}");
    }

    [Fact]
    public async Task AnArchiveWithAPathOutsideItsLayoutIsRefused()
    {
        var archive = WriteArchive(_database.Provider, ("media/../../escaped.txt", "x"u8.ToArray()));

        var result = await BackupTool.RestoreAsync(ContentRoot, _database, archive);

        await AssertRefusedAsync(result, "an entry a backup never has");
        Assert.False(File.Exists(Path.Combine(ContentRoot, "escaped.txt")));
    }

    [Fact]
    public async Task ADatabaseThatHoldsDataIsNotReplacedWithoutForce()
    {
        var archive = WriteArchive(_database.Provider);
        if (_database.IsPostgres)
        {
            await _database.DisposeAsync();
            _database = await TestDatabase.CreateAsync();
            await using var connection = new NpgsqlConnection(_database.ConnectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("CREATE TABLE kept (id int); INSERT INTO kept VALUES (1)", connection);
            await command.ExecuteNonQueryAsync();
        }
        else
        {
            Directory.CreateDirectory(Path.GetDirectoryName(TestDatabase.SqliteFile(ContentRoot))!);
            await using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={TestDatabase.SqliteFile(ContentRoot)};Pooling=False");
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "CREATE TABLE kept (id int); INSERT INTO kept VALUES (1)";
            await command.ExecuteNonQueryAsync();
        }

        var result = await BackupTool.RestoreAsync(ContentRoot, _database, archive);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("already holds data; nothing was changed. Restore with --force", Assert.Single(result.Errors), StringComparison.Ordinal);
        var media = Path.Combine(ContentRoot, "umbraco", "media");
        Assert.False(Directory.Exists(media) && Directory.EnumerateFileSystemEntries(media).Any(), "The archive's media were restored.");
    }

    private const string OutboxSchema = """
        CREATE TABLE "EmailOutbox" ("Id" integer PRIMARY KEY, "Status" integer NOT NULL, "LockedUntilUtc" timestamp NULL,
            "LockedBy" varchar(100) NULL, "LastError" varchar(2000) NULL);
        INSERT INTO "EmailOutbox" VALUES (1, 0, NULL, 'another instance', NULL);
        CREATE TABLE "WebhookDeliveries" ("Id" integer PRIMARY KEY, "Status" integer NOT NULL, "LockedUntilUtc" timestamp NULL,
            "LockedBy" varchar(100) NULL, "LastError" varchar(2000) NULL);
        INSERT INTO "WebhookDeliveries" VALUES (1, 0, NULL, NULL, NULL), (2, 1, NULL, NULL, NULL);
        CREATE TABLE restored (id int); INSERT INTO restored VALUES (7);
        """;

    /// <summary>A table of 50,000 rows: enough that a dump cut short breaks off inside its data, and more than a pipe holds.</summary>
    private const string FillerTable = """
        CREATE TABLE filler AS WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 50000)
        SELECT i, 'row number ' || CAST(i AS varchar(10)) AS text FROM n;
        """;

    [Fact]
    public async Task WithForceADatabaseThatHoldsDataIsReplacedAndItsWaitingMailHeld()
    {
        var archive = await ArchiveOfAsync(OutboxSchema);

        var result = await BackupTool.RestoreAsync(ContentRoot, _database, archive, "--force");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("2 mail(s) that were waiting are held", Assert.Single(result.Output), StringComparison.Ordinal);
        Assert.Equal("7", await ScalarAsync(_database, "SELECT string_agg(CAST(id AS text), ',') FROM restored"));
        Assert.Equal("2", await ScalarAsync(_database, "SELECT CAST(\"Status\" AS text) FROM \"EmailOutbox\""));
        Assert.StartsWith(RestoredOutbox.HeldNotePrefix, await ScalarAsync(_database, "SELECT \"LastError\" FROM \"EmailOutbox\""), StringComparison.Ordinal);
        // A webhook delivery that was waiting is held too; a delivered one stays delivered.
        Assert.Equal("2", await ScalarAsync(_database, "SELECT CAST(\"Status\" AS text) FROM \"WebhookDeliveries\" WHERE \"Id\" = 1"));
        Assert.StartsWith(RestoredOutbox.HeldNotePrefix, await ScalarAsync(_database, "SELECT \"LastError\" FROM \"WebhookDeliveries\" WHERE \"Id\" = 1"), StringComparison.Ordinal);
        Assert.Equal("1", await ScalarAsync(_database, "SELECT CAST(\"Status\" AS text) FROM \"WebhookDeliveries\" WHERE \"Id\" = 2"));
        Assert.True(File.Exists(Path.Combine(ContentRoot, "umbraco", "media", "0123456789abcdef0123456789abcdef.png")));
    }

    /// <summary>
    /// The restore and the hold of the waiting mail are one: a restored database whose mail could not be held would send
    /// it again. Here the backup's outbox refuses every change (a trigger), so the hold fails, and the database must be
    /// the one the restore found.
    /// </summary>
    [Fact]
    public async Task WhenTheWaitingMailCannotBeHeldNothingIsRestored()
    {
        var refuseUpdates = _database.IsPostgres
            ? """
              CREATE FUNCTION refuse_update() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'the outbox refuses changes'; END $$;
              CREATE TRIGGER refuse_update BEFORE UPDATE ON "EmailOutbox" FOR EACH ROW EXECUTE FUNCTION refuse_update();
              """
            : """
              CREATE TRIGGER refuse_update BEFORE UPDATE ON "EmailOutbox" BEGIN SELECT RAISE(ABORT, 'the outbox refuses changes'); END;
              """;
        var archive = await ArchiveOfAsync(OutboxSchema + refuseUpdates);

        var result = await BackupTool.RestoreAsync(ContentRoot, _database, archive, "--force");

        Assert.Equal(1, result.ExitCode);
        var line = Assert.Single(result.Errors);
        Assert.StartsWith("Restore failed: ", line, StringComparison.Ordinal);
        Assert.Contains("the outbox refuses changes", line, StringComparison.Ordinal);
        Assert.Equal("1,2", await ScalarAsync(_database, "SELECT string_agg(CAST(id AS text), ',') FROM restored"));
        Assert.Equal("0", await ScalarAsync(_database, _database.IsPostgres
            ? "SELECT CAST(count(*) AS text) FROM information_schema.tables WHERE table_name = 'EmailOutbox'"
            : "SELECT count(*) FROM sqlite_master WHERE name = 'EmailOutbox'"));
        Assert.False(File.Exists(Path.Combine(ContentRoot, "umbraco", "media", "0123456789abcdef0123456789abcdef.png")), "The archive's media were restored.");
    }

    /// <summary>
    /// A database file that breaks off half-way (a disk that filled up while the backup was copied) restores nothing, not
    /// the part before the break: on PostgreSQL, psql has run that part in the open transaction when pg_restore fails, and
    /// only a COMMIT that never comes keeps it out.
    /// </summary>
    [Fact]
    public async Task ADatabaseThatBreaksOffHalfWayRestoresNothing()
    {
        var archive = await ArchiveOfAsync(OutboxSchema + FillerTable, cutShort: true);

        var result = await BackupTool.RestoreAsync(ContentRoot, _database, archive, "--force");

        Assert.Equal(1, result.ExitCode);
        // On PostgreSQL the cause is pg_restore's (the file ended), not psql's complaint about the half row it was left.
        Assert.StartsWith(_database.IsPostgres ? "Restore failed: pg_restore failed: " : "Restore failed: ", Assert.Single(result.Errors), StringComparison.Ordinal);
        Assert.Equal("1,2", await ScalarAsync(_database, "SELECT string_agg(CAST(id AS text), ',') FROM restored"));
        Assert.Equal("0", await ScalarAsync(_database, _database.IsPostgres
            ? "SELECT CAST(count(*) AS text) FROM information_schema.tables WHERE table_name IN ('EmailOutbox', 'filler')"
            : "SELECT count(*) FROM sqlite_master WHERE name IN ('EmailOutbox', 'filler')"));
    }

    /// <summary>
    /// A statement of the restore that fails half-way (here a table the database already holds, restored without
    /// <c>--clean</c>) ends the restore with the server's reason, promptly, though pg_restore still has rows to write:
    /// nothing of it is kept.
    /// </summary>
    [SkippableFact]
    public async Task OnPostgresAStatementThatFailsHalfWayEndsTheRestoreWithItsReasonAndKeepsNothing()
    {
        Skip.IfNot(_database.IsPostgres, "pg_restore and psql are PostgreSQL's.");
        var dump = await PostgresDumpOfAsync("CREATE TABLE aaa_first (id int); INSERT INTO aaa_first VALUES (1);" + FillerTable + "CREATE TABLE restored (id int)");
        await ExecuteAsync(_database, "CREATE TABLE restored (id int); INSERT INTO restored VALUES (1), (2)");

        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var problem = await Assert.ThrowsAsync<BackupProblemException>(() =>
            PostgresTools.RestoreAsync(_database.ConnectionString!, dump, replace: false, then: null, deadline.Token));

        Assert.StartsWith("psql failed: ", problem.Message, StringComparison.Ordinal);
        Assert.Contains("\"restored\" already exists", problem.Message, StringComparison.Ordinal);
        Assert.Equal("1,2", await ScalarAsync(_database, "SELECT string_agg(CAST(id AS text), ',') FROM restored"));
        Assert.Equal("0", await ScalarAsync(_database,
            "SELECT CAST(count(*) AS text) FROM information_schema.tables WHERE table_name IN ('aaa_first', 'filler')"));
    }

    /// <summary>
    /// A dump with large objects is refused before anything changes: pg_restore's script would commit them in a
    /// transaction of their own, ending the restore's one half-way. The app never makes any.
    /// </summary>
    [SkippableFact]
    public async Task OnPostgresADumpWithLargeObjectsIsRefusedAndNothingIsRestored()
    {
        Skip.IfNot(_database.IsPostgres, "Large objects are PostgreSQL's.");
        var archive = await ArchiveOfAsync(OutboxSchema + "SELECT lo_from_bytea(0, 'a large object');");

        var result = await BackupTool.RestoreAsync(ContentRoot, _database, archive, "--force");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("holds large objects", Assert.Single(result.Errors), StringComparison.Ordinal);
        Assert.Equal("1,2", await ScalarAsync(_database, "SELECT string_agg(CAST(id AS text), ',') FROM restored"));
        Assert.Equal("0", await ScalarAsync(_database, "SELECT CAST(count(*) AS text) FROM pg_largeobject_metadata"));
    }

    /// <summary>
    /// A site whose connection string names a Search Path keeps its tables in that schema: the restore's hold finds its
    /// outbox there, as the app does.
    /// </summary>
    [SkippableFact]
    public async Task OnPostgresTheHoldFindsTheOutboxInTheSchemaOfTheConnectionStringsSearchPath()
    {
        Skip.IfNot(_database.IsPostgres, "Search Path is Npgsql's.");
        var dump = await PostgresDumpOfAsync("CREATE SCHEMA site; SET search_path = site;" + OutboxSchema);
        var connectionString = new NpgsqlConnectionStringBuilder(_database.ConnectionString) { SearchPath = "site" }.ConnectionString;

        var said = await PostgresTools.RestoreAsync(connectionString, dump, replace: false,
            RestoredOutbox.PostgresHold(new DateTime(2026, 11, 2, 9, 0, 0, DateTimeKind.Utc)), CancellationToken.None);

        Assert.Equal(2, RestoredOutbox.HeldCount(said));
        Assert.Equal("2", await ScalarAsync(_database, "SELECT CAST(\"Status\" AS text) FROM site.\"EmailOutbox\""));
        Assert.Equal("2", await ScalarAsync(_database, "SELECT CAST(\"Status\" AS text) FROM site.\"WebhookDeliveries\" WHERE \"Id\" = 1"));
    }

    /// <summary>
    /// An archive whose database <paramref name="schema"/> made, and a target database that holds data already (a table
    /// <c>restored</c> with the rows 1 and 2), so that only <c>--force</c> replaces it. <paramref name="cutShort"/> keeps
    /// only the first two thirds of the database file.
    /// </summary>
    private async Task<string> ArchiveOfAsync(string schema, bool cutShort = false)
    {
        byte[] database;
        if (_database.IsPostgres)
        {
            database = await File.ReadAllBytesAsync(await PostgresDumpOfAsync(schema));
        }
        else
        {
            var file = Path.Combine(_folder, "source.db");
            await using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={file};Pooling=False"))
            {
                await connection.OpenAsync();
                await using var command = connection.CreateCommand();
                command.CommandText = schema;
                await command.ExecuteNonQueryAsync();
            }

            database = await File.ReadAllBytesAsync(file);
            Directory.CreateDirectory(Path.GetDirectoryName(TestDatabase.SqliteFile(ContentRoot))!);
        }

        await ExecuteAsync(_database, "CREATE TABLE restored (id int); INSERT INTO restored VALUES (1), (2)");
        return WriteArchive(_database.Provider, cutShort ? database[..(database.Length * 2 / 3)] : database);
    }

    /// <summary>
    /// <c>pg_dump</c> of a new database that <paramref name="sql"/> made; the test's own database becomes a new, empty one
    /// to restore into.
    /// </summary>
    private async Task<string> PostgresDumpOfAsync(string sql)
    {
        await using var source = await TestDatabase.CreateAsync();
        await ExecuteAsync(source, sql);
        var dump = Path.Combine(_folder, "source.pgdump");
        await PostgresTools.DumpAsync(source.ConnectionString!, dump, CancellationToken.None);
        await _database.DisposeAsync();
        _database = await TestDatabase.CreateAsync();
        return dump;
    }

    private System.Data.Common.DbConnection Connect(TestDatabase database) => database.IsPostgres
        ? new NpgsqlConnection(database.ConnectionString)
        : new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={TestDatabase.SqliteFile(ContentRoot)};Pooling=False");

    private async Task ExecuteAsync(TestDatabase database, string sql)
    {
        await using var connection = database.IsPostgres ? new NpgsqlConnection(database.ConnectionString) : Connect(database);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    private async Task<string?> ScalarAsync(TestDatabase database, string sql)
    {
        await using var connection = Connect(database);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        // SQLite has group_concat, not string_agg.
        command.CommandText = database.IsPostgres ? sql : sql.Replace("string_agg(CAST(id AS text), ',')", "group_concat(id, ',')", StringComparison.Ordinal);
        return (await command.ExecuteScalarAsync())?.ToString();
    }

    private async Task AssertRefusedAsync(BackupTool.Result result, string cause)
    {
        Assert.Equal(1, result.ExitCode);
        var line = Assert.Single(result.Errors);
        Assert.StartsWith("Restore failed: ", line, StringComparison.Ordinal);
        Assert.Contains(cause, line, StringComparison.Ordinal);
        Assert.Empty(result.Output);
        Assert.False(File.Exists(TestDatabase.SqliteFile(ContentRoot)), "A database file was left behind.");
        Assert.False(Directory.Exists(Path.Combine(ContentRoot, "umbraco", "media")), "A media folder was left behind.");
        Assert.False(Directory.Exists(Path.Combine(ContentRoot, "umbraco", "Data")), "A data folder was left behind.");
        if (_database.IsPostgres)
        {
            Assert.False(await PostgresDatabaseExistsAsync(_database.DatabaseName!), "The database was created.");
        }
    }

    private static async Task<bool> PostgresDatabaseExistsAsync(string name)
    {
        var admin = Environment.GetEnvironmentVariable("PORTFOLIO_TEST_POSTGRES");
        await using var connection = new NpgsqlConnection(admin);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = @name", connection);
        command.Parameters.AddWithValue("name", name);
        return await command.ExecuteScalarAsync() is not null;
    }

    /// <summary>An archive laid out as the backup command writes it (the database entry is filler: the refusals come first).</summary>
    private string WriteArchive(string provider, params (string Name, byte[] Bytes)[] extra) => WriteArchive(provider, new byte[4096], extra);

    private string WriteArchive(string provider, byte[] databaseBytes, params (string Name, byte[] Bytes)[] extra)
    {
        var file = Path.Combine(_folder, $"{Guid.NewGuid():N}.tar.gz");
        using var output = File.Create(file);
        using var gzip = new GZipStream(output, CompressionLevel.Fastest);
        using var tar = new TarWriter(gzip, TarEntryFormat.Pax);
        void Add(string name, byte[] bytes) => tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(bytes) });
        var database = provider == "Postgres" ? "database/portfolio.pgdump" : "database/portfolio.db";
        Add("manifest.json", Encoding.UTF8.GetBytes(
            $$"""{ "format": 1, "provider": "{{provider}}", "appVersion": "test", "createdUtc": "2026-11-02T09:00:00Z", "database": "{{database}}", "mediaFiles": 1, "keyFiles": 0 }"""));
        Add(database, databaseBytes);
        foreach (var (name, bytes) in extra)
        {
            Add(name, bytes);
        }

        // Random bytes: the gzip stream cannot shrink them, so a cut lands inside this entry.
        Add("media/0123456789abcdef0123456789abcdef.png", System.Security.Cryptography.RandomNumberGenerator.GetBytes(64 * 1024));
        return file;
    }
}
