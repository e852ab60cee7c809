using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Portfolio.Web.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class AddMeetingLocationsAndExpertCalendarFeeds : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "LocationKind",
                table: "Bookings",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<string>(
                name: "LocationValue",
                table: "Bookings",
                type: "TEXT",
                maxLength: 500,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "ExpertCalendarFeeds",
                columns: table => new
                {
                    ExpertKey = table.Column<Guid>(type: "TEXT", nullable: false),
                    TokenHash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    CreatedUtc = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ExpertCalendarFeeds", x => x.ExpertKey);
                    table.ForeignKey(
                        name: "FK_ExpertCalendarFeeds_ContentItems_ExpertKey",
                        column: x => x.ExpertKey,
                        principalTable: "ContentItems",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_ExpertCalendarFeeds_TokenHash",
                table: "ExpertCalendarFeeds",
                column: "TokenHash",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ExpertCalendarFeeds");

            // SQLite's own DROP COLUMN (3.35+), not EF's DropColumn: EF rebuilds the table for it, which drops the
            // overlap, length and daily-cap triggers of the Bookings table with it.
            migrationBuilder.Sql("ALTER TABLE \"Bookings\" DROP COLUMN \"LocationKind\";");
            migrationBuilder.Sql("ALTER TABLE \"Bookings\" DROP COLUMN \"LocationValue\";");
        }
    }
}
