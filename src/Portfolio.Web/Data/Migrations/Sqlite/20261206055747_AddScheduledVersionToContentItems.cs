using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Portfolio.Web.Data.Migrations.Sqlite
{
    /// <summary>
    /// A scheduled publish records the version it was made for (<c>ScheduledVersionNumber</c>) and publishes that one, not
    /// a draft saved later. A schedule set before this migration gets the latest version now: the closest to what its
    /// editor saw. PostgreSQL holds the rule in CK_ContentItems_ScheduledVersion; here triggers hold it, because SQLite
    /// adds a check only by rebuilding the table (see BoundedBookingLength).
    /// </summary>
    public partial class AddScheduledVersionToContentItems : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "ScheduledVersionNumber",
                table: "ContentItems",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.Sql("""UPDATE "ContentItems" SET "ScheduledVersionNumber" = "LatestVersionNumber" WHERE "PublishAtUtc" IS NOT NULL;""");
            foreach (var (name, when) in Triggers)
            {
                migrationBuilder.Sql($"""
                    CREATE TRIGGER "{name}" {when} ON "ContentItems"
                    WHEN NOT ((NEW."PublishAtUtc" IS NULL AND NEW."ScheduledVersionNumber" IS NULL) OR
                              (NEW."PublishAtUtc" IS NOT NULL AND NEW."ScheduledVersionNumber" > 0 AND NEW."ScheduledVersionNumber" <= NEW."LatestVersionNumber"))
                    BEGIN
                        SELECT RAISE(ABORT, 'a scheduled publish names one of the item''s versions');
                    END;
                    """);
            }
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            foreach (var (name, _) in Triggers)
            {
                migrationBuilder.Sql($"DROP TRIGGER IF EXISTS \"{name}\";");
            }

            migrationBuilder.DropColumn(
                name: "ScheduledVersionNumber",
                table: "ContentItems");
        }

        private static readonly (string Name, string When)[] Triggers =
        [
            ("TR_ContentItems_ScheduledVersion_Insert", "BEFORE INSERT"),
            ("TR_ContentItems_ScheduledVersion_Update", "BEFORE UPDATE"),
        ];
    }
}
