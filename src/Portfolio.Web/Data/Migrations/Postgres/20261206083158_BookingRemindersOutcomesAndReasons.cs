using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Portfolio.Web.Data.Migrations.Postgres
{
    /// <summary>
    /// Booking reminders (the BookingReminders table: one row per reminder queued, its key keeps it to once), the time a
    /// booking got its current time (ScheduledUtc), the client's reasons for cancelling and moving, and the owner's outcome
    /// and private note.
    /// </summary>
    public partial class BookingRemindersOutcomesAndReasons : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "CancellationReason",
                table: "Bookings",
                type: "character varying(500)",
                maxLength: 500,
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "Outcome",
                table: "Bookings",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<string>(
                name: "OwnerNote",
                table: "Bookings",
                type: "character varying(2000)",
                maxLength: 2000,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "RescheduleReason",
                table: "Bookings",
                type: "character varying(500)",
                maxLength: 500,
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "ScheduledUtc",
                table: "Bookings",
                type: "timestamp with time zone",
                nullable: false,
                defaultValue: new DateTime(1, 1, 1, 0, 0, 0, 0, DateTimeKind.Unspecified));

            // A booking stored before got its time when it was last changed (booked, moved or cancelled): its reminders
            // count from then, as they would have had the column existed.
            migrationBuilder.Sql("UPDATE \"Bookings\" SET \"ScheduledUtc\" = \"UpdatedUtc\";");

            migrationBuilder.CreateTable(
                name: "BookingReminders",
                columns: table => new
                {
                    BookingId = table.Column<Guid>(type: "uuid", nullable: false),
                    StartUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    OffsetMinutes = table.Column<int>(type: "integer", nullable: false),
                    Recipient = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    QueuedUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_BookingReminders", x => new { x.BookingId, x.StartUtc, x.OffsetMinutes, x.Recipient });
                    table.ForeignKey(
                        name: "FK_BookingReminders_Bookings_BookingId",
                        column: x => x.BookingId,
                        principalTable: "Bookings",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Bookings_StartUtc",
                table: "Bookings",
                column: "StartUtc");

            migrationBuilder.AddCheckConstraint(
                name: "CK_Bookings_Outcome",
                table: "Bookings",
                sql: "\"Outcome\" IN (0, 1, 2)");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "BookingReminders");

            migrationBuilder.DropIndex(
                name: "IX_Bookings_StartUtc",
                table: "Bookings");

            migrationBuilder.DropCheckConstraint(
                name: "CK_Bookings_Outcome",
                table: "Bookings");

            migrationBuilder.DropColumn(
                name: "CancellationReason",
                table: "Bookings");

            migrationBuilder.DropColumn(
                name: "Outcome",
                table: "Bookings");

            migrationBuilder.DropColumn(
                name: "OwnerNote",
                table: "Bookings");

            migrationBuilder.DropColumn(
                name: "RescheduleReason",
                table: "Bookings");

            migrationBuilder.DropColumn(
                name: "ScheduledUtc",
                table: "Bookings");
        }
    }
}
