using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Reminders.Infrastructure.Persistence;

/// <summary>
/// Recognises a unique-index violation from either provider: two requests creating the same patient,
/// booking or unit at once. It is a conflict to answer (409), not an error to log: on SQL Server the
/// error message even names the duplicate key, which may be a personnummer.
/// </summary>
public static class UniqueViolation
{
    /// <summary>True when <paramref name="exception"/> is a unique constraint or index violation.</summary>
    public static bool Is(DbUpdateException exception) => exception.InnerException switch
    {
        // SQLITE_CONSTRAINT_UNIQUE (2067) and SQLITE_CONSTRAINT_PRIMARYKEY (1555).
        SqliteException sqlite => sqlite.SqliteExtendedErrorCode is 2067 or 1555,

        // SQL Server 2601 (duplicate key in a unique index) and 2627 (unique constraint).
        Microsoft.Data.SqlClient.SqlException sql => sql.Number is 2601 or 2627,
        _ => false,
    };
}
