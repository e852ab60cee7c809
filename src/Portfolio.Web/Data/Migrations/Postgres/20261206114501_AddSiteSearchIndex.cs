using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Portfolio.Web.Data.Migrations.Postgres
{
    /// <summary>
    /// The public search index (Search/SearchIndex): title and text with a stored tsvector of the English configuration
    /// (stemming, stop words), the title weighted A and the text B, under a GIN index. Outside the EF model: only
    /// SearchIndex reads or writes it. A row goes with its content item (cascade). The app fills it on start.
    /// </summary>
    public partial class AddSiteSearchIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE TABLE "SearchEntries" (
                    "ItemId" uuid NOT NULL PRIMARY KEY REFERENCES "ContentItems" ("Id") ON DELETE CASCADE,
                    "ContentType" character varying(64) NOT NULL,
                    "Url" character varying(400) NOT NULL,
                    "Title" text NOT NULL,
                    "Body" text NOT NULL,
                    "Document" tsvector GENERATED ALWAYS AS (
                        setweight(to_tsvector('english'::regconfig, "Title"), 'A') ||
                        setweight(to_tsvector('english'::regconfig, "Body"), 'B')) STORED);
                CREATE INDEX "IX_SearchEntries_Document" ON "SearchEntries" USING GIN ("Document");
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""DROP TABLE "SearchEntries";""");
        }
    }
}
