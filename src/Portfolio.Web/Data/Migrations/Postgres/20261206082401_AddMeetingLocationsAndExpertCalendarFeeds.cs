using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Portfolio.Web.Data.Migrations.Postgres
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
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<string>(
                name: "LocationValue",
                table: "Bookings",
                type: "character varying(500)",
                maxLength: 500,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "ExpertCalendarFeeds",
                columns: table => new
                {
                    ExpertKey = table.Column<Guid>(type: "uuid", nullable: false),
                    TokenHash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    CreatedUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
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

            migrationBuilder.DropColumn(
                name: "LocationKind",
                table: "Bookings");

            migrationBuilder.DropColumn(
                name: "LocationValue",
                table: "Bookings");
        }
    }
}
