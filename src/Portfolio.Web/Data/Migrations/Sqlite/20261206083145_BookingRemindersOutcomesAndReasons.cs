using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Portfolio.Web.Data.Migrations.Sqlite
{
    /// <summary>
    /// Booking reminders (the BookingReminders table: one row per reminder queued, its key keeps it to once), the time a
    /// booking got its current time (ScheduledUtc), the client's reasons for cancelling and moving, and the owner's outcome
    /// and private note. The outcome's values are held by triggers, as PostgreSQL's CK_Bookings_Outcome: SQLite adds a
    /// check only by rebuilding the table, which drops its overlap and daily-cap triggers.
    /// </summary>
    public partial class BookingRemindersOutcomesAndReasons : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "CancellationReason",
                table: "Bookings",
                type: "TEXT",
                maxLength: 500,
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "Outcome",
                table: "Bookings",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<string>(
                name: "OwnerNote",
                table: "Bookings",
                type: "TEXT",
                maxLength: 2000,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "RescheduleReason",
                table: "Bookings",
                type: "TEXT",
                maxLength: 500,
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "ScheduledUtc",
                table: "Bookings",
                type: "TEXT",
                nullable: false,
                defaultValue: new DateTime(1, 1, 1, 0, 0, 0, 0, DateTimeKind.Unspecified));

            // A booking stored before got its time when it was last changed (booked, moved or cancelled): its reminders
            // count from then, as they would have had the column existed.
            migrationBuilder.Sql("UPDATE \"Bookings\" SET \"ScheduledUtc\" = \"UpdatedUtc\";");

            migrationBuilder.CreateTable(
                name: "BookingReminders",
                columns: table => new
                {
                    BookingId = table.Column<Guid>(type: "TEXT", nullable: false),
                    StartUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    OffsetMinutes = table.Column<int>(type: "INTEGER", nullable: false),
                    Recipient = table.Column<string>(type: "TEXT", maxLength: 10, nullable: false),
                    QueuedUtc = table.Column<DateTime>(type: "TEXT", nullable: false)
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

            foreach (var (name, when) in OutcomeTriggers)
            {
                migrationBuilder.Sql($"""
                    CREATE TRIGGER "{name}" {when} ON "Bookings"
                    WHEN NEW."Outcome" NOT IN (0, 1, 2)
                    BEGIN
                        SELECT RAISE(ABORT, 'CHECK constraint failed: CK_Bookings_Outcome');
                    END;
                    """);
            }
        }

        private static readonly (string Name, string When)[] OutcomeTriggers =
        [
            ("TR_Bookings_Outcome_Insert", "BEFORE INSERT"),
            ("TR_Bookings_Outcome_Update", "BEFORE UPDATE OF \"Outcome\""),
        ];

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            foreach (var (name, _) in OutcomeTriggers)
            {
                migrationBuilder.Sql($"DROP TRIGGER IF EXISTS \"{name}\";");
            }

            migrationBuilder.DropTable(
                name: "BookingReminders");

            migrationBuilder.DropIndex(
                name: "IX_Bookings_StartUtc",
                table: "Bookings");

            // SQLite's own DROP COLUMN (3.35+), not EF's DropColumn: EF rebuilds the table for it, which drops the
            // overlap, length and daily-cap triggers of the Bookings table with it.
            migrationBuilder.Sql("ALTER TABLE \"Bookings\" DROP COLUMN \"CancellationReason\";");

            migrationBuilder.Sql("ALTER TABLE \"Bookings\" DROP COLUMN \"Outcome\";");

            migrationBuilder.Sql("ALTER TABLE \"Bookings\" DROP COLUMN \"OwnerNote\";");

            migrationBuilder.Sql("ALTER TABLE \"Bookings\" DROP COLUMN \"RescheduleReason\";");

            migrationBuilder.Sql("ALTER TABLE \"Bookings\" DROP COLUMN \"ScheduledUtc\";");
        }
    }
}
