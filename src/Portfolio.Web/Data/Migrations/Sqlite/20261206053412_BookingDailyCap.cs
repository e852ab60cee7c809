using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Portfolio.Web.Data.Migrations.Sqlite
{
    /// <summary>
    /// The database holds an expert's limit of bookings a day (<see cref="Content.Availability.MaxPerDay"/>), as it holds
    /// overlaps: concurrent bookings of distinct free slots of one day all passed the app's check before any was stored.
    /// Each booking carries its day in the expert's time zone and the limit it was made under (the app computes both);
    /// triggers keep a count per expert and day in BookingDays and refuse a booking that would take its day past its
    /// limit. SQLite runs one writer at a time, so the count a trigger reads is the latest. Existing bookings get their
    /// day from the app at its next start (<see cref="Booking.BookingStore.BackfillExpertDaysAsync"/>: SQLite has no
    /// time-zone rules); the triggers count each one as it gets it.
    /// </summary>
    public partial class BookingDailyCap : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateOnly>(
                name: "ExpertDay",
                table: "Bookings",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "MaxPerDay",
                table: "Bookings",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "BookingDays",
                columns: table => new
                {
                    ExpertKey = table.Column<Guid>(type: "TEXT", nullable: false),
                    Day = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    Confirmed = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_BookingDays", x => new { x.ExpertKey, x.Day });
                    table.CheckConstraint("CK_BookingDays_Confirmed", "\"Confirmed\" >= 0");
                });

            // AFTER triggers, so the overlap triggers (BEFORE) have refused what overlaps first. A row without a day
            // (stored before this migration, not yet backfilled) is not counted; one without a limit (backfilled) is
            // counted but never refused. The update trigger fires only when what is counted changes, so a booking on a
            // day over a since-lowered limit can still be edited otherwise (erased, say).
            migrationBuilder.Sql($"""
                CREATE TRIGGER "TR_Bookings_Day_Insert" AFTER INSERT ON "Bookings"
                WHEN NEW."Status" = 0 AND NEW."ExpertDay" IS NOT NULL
                BEGIN
                    {Count("NEW")}
                END;
                """);
            migrationBuilder.Sql($"""
                CREATE TRIGGER "TR_Bookings_Day_Update" AFTER UPDATE OF "Status", "ExpertKey", "ExpertDay" ON "Bookings"
                WHEN OLD."Status" IS NOT NEW."Status" OR OLD."ExpertKey" IS NOT NEW."ExpertKey" OR OLD."ExpertDay" IS NOT NEW."ExpertDay"
                BEGIN
                    {Uncount("OLD")}
                    {Count("NEW")}
                END;
                """);
            migrationBuilder.Sql($"""
                CREATE TRIGGER "TR_Bookings_Day_Delete" AFTER DELETE ON "Bookings"
                BEGIN
                    {Uncount("OLD")}
                END;
                """);
        }

        /// <summary>Adds the booking to its day's count (when it is a confirmed one with a day) and refuses it past its limit.</summary>
        private static string Count(string row) => $"""
            INSERT OR IGNORE INTO "BookingDays" ("ExpertKey", "Day", "Confirmed")
                SELECT {row}."ExpertKey", {row}."ExpertDay", 0 WHERE {row}."Status" = 0 AND {row}."ExpertDay" IS NOT NULL;
            UPDATE "BookingDays" SET "Confirmed" = "Confirmed" + 1
                WHERE {row}."Status" = 0 AND "ExpertKey" = {row}."ExpertKey" AND "Day" = {row}."ExpertDay";
            SELECT RAISE(ABORT, '{DatabaseErrors.ExpertDayFullMessage.Replace("'", "''", StringComparison.Ordinal)}') FROM "BookingDays"
                WHERE {row}."Status" = 0 AND "ExpertKey" = {row}."ExpertKey" AND "Day" = {row}."ExpertDay" AND "Confirmed" > {row}."MaxPerDay";
            """;

        /// <summary>Takes a confirmed booking off its day's count.</summary>
        private static string Uncount(string row) => $"""
            UPDATE "BookingDays" SET "Confirmed" = "Confirmed" - 1
                WHERE {row}."Status" = 0 AND "ExpertKey" = {row}."ExpertKey" AND "Day" = {row}."ExpertDay";
            """;

        private static readonly string[] Triggers = ["TR_Bookings_Day_Insert", "TR_Bookings_Day_Update", "TR_Bookings_Day_Delete"];

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            foreach (var trigger in Triggers)
            {
                migrationBuilder.Sql($"DROP TRIGGER IF EXISTS \"{trigger}\";");
            }

            migrationBuilder.DropTable(
                name: "BookingDays");

            // SQLite's own DROP COLUMN (3.35+), not EF's DropColumn: EF rebuilds the table for it, which drops the
            // overlap and length triggers of the Bookings table with it.
            migrationBuilder.Sql("ALTER TABLE \"Bookings\" DROP COLUMN \"ExpertDay\";");
            migrationBuilder.Sql("ALTER TABLE \"Bookings\" DROP COLUMN \"MaxPerDay\";");
        }
    }
}
