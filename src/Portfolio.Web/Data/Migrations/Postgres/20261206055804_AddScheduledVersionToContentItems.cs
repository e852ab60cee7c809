using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Portfolio.Web.Data.Migrations.Postgres
{
    /// <summary>
    /// A scheduled publish records the version it was made for (<c>ScheduledVersionNumber</c>) and publishes that one, not
    /// a draft saved later. A schedule set before this migration gets the latest version now: the closest to what its
    /// editor saw.
    /// </summary>
    public partial class AddScheduledVersionToContentItems : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "ScheduledVersionNumber",
                table: "ContentItems",
                type: "integer",
                nullable: true);

            migrationBuilder.Sql("""UPDATE "ContentItems" SET "ScheduledVersionNumber" = "LatestVersionNumber" WHERE "PublishAtUtc" IS NOT NULL;""");

            migrationBuilder.AddCheckConstraint(
                name: "CK_ContentItems_ScheduledVersion",
                table: "ContentItems",
                sql: "(\"PublishAtUtc\" IS NULL AND \"ScheduledVersionNumber\" IS NULL) OR (\"PublishAtUtc\" IS NOT NULL AND \"ScheduledVersionNumber\" > 0 AND \"ScheduledVersionNumber\" <= \"LatestVersionNumber\")");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropCheckConstraint(
                name: "CK_ContentItems_ScheduledVersion",
                table: "ContentItems");

            migrationBuilder.DropColumn(
                name: "ScheduledVersionNumber",
                table: "ContentItems");
        }
    }
}
