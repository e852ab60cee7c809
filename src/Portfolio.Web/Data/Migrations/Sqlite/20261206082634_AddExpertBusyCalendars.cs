using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Portfolio.Web.Data.Migrations.Sqlite
{
    /// <summary>
    /// Busy times from the experts' own calendars: one ExpertBusyFeeds row per expert (the encrypted ICS URL, the
    /// validators of the last copy, when it was fetched, the last error, the next due time and a lease that lets one
    /// instance claim the fetch) and the last good copy's busy times in ExpertBusyIntervals. Both go with the expert.
    /// </summary>
    public partial class AddExpertBusyCalendars : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "ExpertBusyFeeds",
                columns: table => new
                {
                    ExpertKey = table.Column<Guid>(type: "TEXT", nullable: false),
                    ProtectedUrl = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: false),
                    UrlHint = table.Column<string>(type: "TEXT", maxLength: 300, nullable: false),
                    ETag = table.Column<string>(type: "TEXT", maxLength: 300, nullable: true),
                    LastModified = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    FetchedUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    ParsedUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    LastError = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    FailingSinceUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    NextFetchUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    LeaseUntilUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    UpdatedUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    IntervalCount = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ExpertBusyFeeds", x => x.ExpertKey);
                    table.ForeignKey(
                        name: "FK_ExpertBusyFeeds_ContentItems_ExpertKey",
                        column: x => x.ExpertKey,
                        principalTable: "ContentItems",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "ExpertBusyIntervals",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    ExpertKey = table.Column<Guid>(type: "TEXT", nullable: false),
                    StartUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    EndUtc = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ExpertBusyIntervals", x => x.Id);
                    table.CheckConstraint("CK_ExpertBusyIntervals_Range", "\"EndUtc\" > \"StartUtc\"");
                    table.ForeignKey(
                        name: "FK_ExpertBusyIntervals_ExpertBusyFeeds_ExpertKey",
                        column: x => x.ExpertKey,
                        principalTable: "ExpertBusyFeeds",
                        principalColumn: "ExpertKey",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_ExpertBusyFeeds_NextFetchUtc",
                table: "ExpertBusyFeeds",
                column: "NextFetchUtc");

            migrationBuilder.CreateIndex(
                name: "IX_ExpertBusyIntervals_ExpertKey_StartUtc",
                table: "ExpertBusyIntervals",
                columns: new[] { "ExpertKey", "StartUtc" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ExpertBusyIntervals");

            migrationBuilder.DropTable(
                name: "ExpertBusyFeeds");
        }
    }
}
