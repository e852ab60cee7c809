using Npgsql;
using Portfolio.Web.Data;

namespace Portfolio.Tests.Data;

public sealed class PostgresConnectionStringTests
{
    [Fact]
    public void StatementsArePreparedAndPooledConnectionsNotResetUnlessTheConnectionStringSaysOtherwise()
    {
        var defaulted = new NpgsqlConnectionStringBuilder(DataExtensions.WithPoolDefaults("Host=db;Database=portfolio;Username=app;Password=secret"));
        Assert.Equal(64, defaulted.MaxAutoPrepare);
        Assert.Equal(2, defaulted.AutoPrepareMinUsages);
        Assert.True(defaulted.NoResetOnClose);
        Assert.Equal("db", defaulted.Host);
        Assert.Equal("secret", defaulted.Password);

        // An operator's own choice stands, including turning it off.
        var chosen = new NpgsqlConnectionStringBuilder(DataExtensions.WithPoolDefaults("Host=db;Database=portfolio;Max Auto Prepare=0"));
        Assert.Equal(0, chosen.MaxAutoPrepare);
        var usages = new NpgsqlConnectionStringBuilder(DataExtensions.WithPoolDefaults("Host=db;Database=portfolio;AutoPrepareMinUsages=5"));
        Assert.Equal(5, usages.AutoPrepareMinUsages);
        Assert.True(usages.NoResetOnClose);
        var reset = new NpgsqlConnectionStringBuilder(DataExtensions.WithPoolDefaults("Host=db;Database=portfolio;No Reset On Close=false"));
        Assert.False(reset.NoResetOnClose);
        Assert.Equal(64, reset.MaxAutoPrepare);
        Assert.False(new NpgsqlConnectionStringBuilder(DataExtensions.WithPoolDefaults("Host=db;NoResetOnClose=False")).NoResetOnClose);

        // A password that happens to contain a key's name is a password.
        var password = new NpgsqlConnectionStringBuilder(DataExtensions.WithPoolDefaults("Host=db;Password=MaxAutoPrepare1"));
        Assert.Equal(64, password.MaxAutoPrepare);
        Assert.Equal("MaxAutoPrepare1", password.Password);
    }
}
