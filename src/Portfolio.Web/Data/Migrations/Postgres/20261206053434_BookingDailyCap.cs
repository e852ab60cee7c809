using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Portfolio.Web.Data.Migrations.Postgres
{
    /// <summary>
    /// The database holds an expert's limit of bookings a day (<see cref="Content.Availability.MaxPerDay"/>), as it holds
    /// overlaps: concurrent bookings of distinct free slots of one day all passed the app's check before any was stored.
    /// Each booking carries its day in the expert's time zone and the limit it was made under (the app computes both);
    /// a trigger keeps a count per expert and day in BookingDays and refuses a booking that would take its day past its
    /// limit. The count is an upsert of the day's row, which locks it: concurrent bookings of one day take turns there
    /// and each reads the count the others committed (READ COMMITTED re-reads a row it waited for). Existing bookings get
    /// their day from the app at its next start (<see cref="Booking.BookingStore.BackfillExpertDaysAsync"/>, as on SQLite,
    /// which has no time-zone rules); the trigger counts each one as it gets it.
    /// </summary>
    public partial class BookingDailyCap : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateOnly>(
                name: "ExpertDay",
                table: "Bookings",
                type: "date",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "MaxPerDay",
                table: "Bookings",
                type: "integer",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "BookingDays",
                columns: table => new
                {
                    ExpertKey = table.Column<Guid>(type: "uuid", nullable: false),
                    Day = table.Column<DateOnly>(type: "date", nullable: false),
                    Confirmed = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_BookingDays", x => new { x.ExpertKey, x.Day });
                    table.CheckConstraint("CK_BookingDays_Confirmed", "\"Confirmed\" >= 0");
                });

            // An AFTER trigger, so the exclusion constraint has refused what overlaps first. A row without a day (stored
            // before this migration, not yet backfilled) is not counted; one without a limit (backfilled) is counted but
            // never refused. The refusal is a check_violation naming CK_Bookings_MaxPerDay (DatabaseErrors). The update
            // trigger fires only when what is counted changes, so a booking on a day over a since-lowered limit can
            // still be edited otherwise (erased, say).
            migrationBuilder.Sql($$"""
                CREATE FUNCTION "Bookings_CountDay"() RETURNS trigger LANGUAGE plpgsql AS $body$
                DECLARE
                    now_confirmed integer;
                BEGIN
                    IF TG_OP <> 'INSERT' AND OLD."Status" = 0 AND OLD."ExpertDay" IS NOT NULL THEN
                        UPDATE "BookingDays" SET "Confirmed" = "Confirmed" - 1
                        WHERE "ExpertKey" = OLD."ExpertKey" AND "Day" = OLD."ExpertDay";
                    END IF;
                    IF TG_OP <> 'DELETE' AND NEW."Status" = 0 AND NEW."ExpertDay" IS NOT NULL THEN
                        INSERT INTO "BookingDays" AS counted ("ExpertKey", "Day", "Confirmed") VALUES (NEW."ExpertKey", NEW."ExpertDay", 1)
                        ON CONFLICT ("ExpertKey", "Day") DO UPDATE SET "Confirmed" = counted."Confirmed" + 1
                        RETURNING counted."Confirmed" INTO now_confirmed;
                        IF now_confirmed > NEW."MaxPerDay" THEN
                            RAISE EXCEPTION '{{DatabaseErrors.ExpertDayFullMessage.Replace("'", "''", StringComparison.Ordinal)}}'
                                USING ERRCODE = 'check_violation', CONSTRAINT = '{{DatabaseErrors.ExpertDayFullConstraint}}', TABLE = 'Bookings';
                        END IF;
                    END IF;
                    RETURN NULL;
                END
                $body$;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER "TR_Bookings_Day_Insert" AFTER INSERT ON "Bookings"
                FOR EACH ROW EXECUTE FUNCTION "Bookings_CountDay"();
                CREATE TRIGGER "TR_Bookings_Day_Update" AFTER UPDATE OF "Status", "ExpertKey", "ExpertDay" ON "Bookings"
                FOR EACH ROW WHEN (OLD."Status" IS DISTINCT FROM NEW."Status" OR OLD."ExpertKey" IS DISTINCT FROM NEW."ExpertKey"
                                   OR OLD."ExpertDay" IS DISTINCT FROM NEW."ExpertDay")
                EXECUTE FUNCTION "Bookings_CountDay"();
                CREATE TRIGGER "TR_Bookings_Day_Delete" AFTER DELETE ON "Bookings"
                FOR EACH ROW EXECUTE FUNCTION "Bookings_CountDay"();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER IF EXISTS "TR_Bookings_Day_Insert" ON "Bookings";
                DROP TRIGGER IF EXISTS "TR_Bookings_Day_Update" ON "Bookings";
                DROP TRIGGER IF EXISTS "TR_Bookings_Day_Delete" ON "Bookings";
                DROP FUNCTION IF EXISTS "Bookings_CountDay"();
                """);

            migrationBuilder.DropTable(
                name: "BookingDays");

            migrationBuilder.DropColumn(
                name: "ExpertDay",
                table: "Bookings");

            migrationBuilder.DropColumn(
                name: "MaxPerDay",
                table: "Bookings");
        }
    }
}
