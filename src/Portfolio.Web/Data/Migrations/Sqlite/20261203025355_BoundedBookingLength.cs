using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Portfolio.Web.Data.Migrations.Sqlite
{
    /// <summary>
    /// Bookings last at most a day (<see cref="Booking.ConsultationBooking.MaxLength"/>), so the overlap triggers need only
    /// look at the bookings that start up to a day before the new one: a short range of IX_Bookings_ExpertKey_StartUtc.
    /// They used to read every earlier booking of the expert, inside the write lock, so each booking made the next
    /// one slower (2.8 ms of CPU per booking in tests/bench/api.sh). They still compare time ranges, so they hold
    /// whatever slot length or buffer an expert has.
    /// </summary>
    public partial class BoundedBookingLength : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // A trigger rather than a CHECK (PostgreSQL has CK_Bookings_MaxLength): SQLite adds a check only by
            // rebuilding the table, which drops its triggers and commits in several steps. ISO-8601 text compares in
            // order; datetime() drops fractional seconds, which makes the limit a little stricter and the range the
            // overlap triggers read a little wider, never the other way round. A time datetime() cannot read (NULL; EF
            // never writes one) is refused here and makes the overlap triggers read every earlier booking, as before.
            foreach (var (name, when) in MaxLengthTriggers)
            {
                migrationBuilder.Sql($"""
                    CREATE TRIGGER "{name}" {when} ON "Bookings"
                    WHEN NEW."EndUtc" > coalesce(datetime(NEW."StartUtc", '+1 day'), '')
                    BEGIN
                        SELECT RAISE(ABORT, 'a booking lasts at most a day');
                    END;
                    """);
            }

            CreateOverlapTriggers(migrationBuilder, """AND other."StartUtc" >= coalesce(datetime(NEW."StartUtc", '-1 day'), '')""");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            foreach (var (name, _) in MaxLengthTriggers)
            {
                migrationBuilder.Sql($"DROP TRIGGER IF EXISTS \"{name}\";");
            }

            CreateOverlapTriggers(migrationBuilder, earliestStart: "");
        }

        /// <summary>Replaces the triggers of ContactBookingsOutbox; <paramref name="earliestStart"/> bounds the range they read.</summary>
        private static void CreateOverlapTriggers(MigrationBuilder migrationBuilder, string earliestStart)
        {
            foreach (var (name, when) in OverlapTriggers)
            {
                migrationBuilder.Sql($"DROP TRIGGER IF EXISTS \"{name}\";");
                migrationBuilder.Sql($"""
                    CREATE TRIGGER "{name}" {when} ON "Bookings"
                    WHEN NEW."Status" = 0 AND EXISTS (
                        SELECT 1 FROM "Bookings" AS other
                        WHERE other."ExpertKey" = NEW."ExpertKey" AND other."Status" = 0 AND other."Id" <> NEW."Id"
                          {earliestStart} AND other."StartUtc" < NEW."EndUtc" AND other."EndUtc" > NEW."StartUtc")
                    BEGIN
                        SELECT RAISE(ABORT, '{DatabaseErrors.BookingOverlapMessage}');
                    END;
                    """);
            }
        }

        private static readonly (string Name, string When)[] OverlapTriggers =
            [("TR_Bookings_NoOverlap_Insert", "BEFORE INSERT"), ("TR_Bookings_NoOverlap_Update", "BEFORE UPDATE")];

        private static readonly (string Name, string When)[] MaxLengthTriggers =
            [("TR_Bookings_MaxLength_Insert", "BEFORE INSERT"), ("TR_Bookings_MaxLength_Update", "BEFORE UPDATE")];
    }
}
