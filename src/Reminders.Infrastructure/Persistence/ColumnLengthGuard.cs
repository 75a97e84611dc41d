using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata;

namespace Reminders.Infrastructure.Persistence;

/// <summary>
/// Strings fit their columns on every provider: before a save, every string going to a column with a configured
/// maximum length is measured (after its value converter, so an <c>HsaId</c> is measured as the text stored). SQL
/// Server refuses an over-long value; SQLite stores it silently, so without this check no SQLite test could see what
/// production would refuse. The error names the entity and property and the lengths, never the value.
/// </summary>
public sealed class ColumnLengthGuard : SaveCheckInterceptor
{
    private static readonly ConcurrentDictionary<IEntityType, Column[]> Columns = new();

    /// <summary>The one instance.</summary>
    public static ColumnLengthGuard Instance { get; } = new();

    /// <summary>Throws <see cref="ColumnLengthException"/> for the first value that does not fit.</summary>
    protected override void CheckBeforeSave(DbContext context)
    {
        ArgumentNullException.ThrowIfNull(context);

        // The callers' SaveChanges detect changes next anyway; entries must be current to be measured.
        if (context.ChangeTracker.AutoDetectChangesEnabled)
        {
            context.ChangeTracker.DetectChanges();
        }

        foreach (var entry in context.ChangeTracker.Entries())
        {
            if (entry.State is EntityState.Added or EntityState.Modified)
            {
                Check(entry);
            }
        }
    }

    private static void Check(EntityEntry entry)
    {
        foreach (var column in Columns.GetOrAdd(entry.Metadata, ColumnsOf))
        {
            var property = entry.Property(column.Property.Name);
            if (entry.State == EntityState.Modified && !property.IsModified)
            {
                continue;
            }

            var value = property.CurrentValue;
            if (value is null)
            {
                continue;
            }

            var stored = column.Converter is null ? value : column.Converter.ConvertToProvider(value);
            if (stored is string text && text.Length > column.MaxLength)
            {
                throw new ColumnLengthException(entry.Metadata.ClrType.Name, column.Property.Name, text.Length, column.MaxLength);
            }
        }
    }

    private static Column[] ColumnsOf(IEntityType type) =>
        [.. type.GetProperties()
            .Where(p => p.GetMaxLength() is not null && (p.GetTypeMapping().Converter?.ProviderClrType ?? p.ClrType) == typeof(string))
            .Select(p => new Column(p, p.GetMaxLength()!.Value, p.GetTypeMapping().Converter))];

    private sealed record Column(IProperty Property, int MaxLength, Microsoft.EntityFrameworkCore.Storage.ValueConversion.ValueConverter? Converter);
}

/// <summary>A value longer than its column: names the entity, the property and the lengths, never the value.</summary>
public sealed class ColumnLengthException : InvalidOperationException
{
    /// <summary>Creates the error.</summary>
    public ColumnLengthException(string entity, string property, int length, int maxLength)
        : base(string.Create(CultureInfo.InvariantCulture, $"{entity}.{property} is {length} characters long; its column takes at most {maxLength}. Nothing was saved."))
    {
        Entity = entity;
        Property = property;
        Length = length;
        MaxLength = maxLength;
    }

    /// <summary>Creates the error without details (serialisation and analyzers).</summary>
    public ColumnLengthException()
        : this("(unknown)", "(unknown)", 0, 0)
    {
    }

    /// <summary>Creates the error with a message.</summary>
    public ColumnLengthException(string message)
        : base(message)
    {
        Entity = Property = "(unknown)";
    }

    /// <summary>Creates the error with a message and cause.</summary>
    public ColumnLengthException(string message, Exception innerException)
        : base(message, innerException)
    {
        Entity = Property = "(unknown)";
    }

    /// <summary>The entity type's name.</summary>
    public string Entity { get; }

    /// <summary>The property's name.</summary>
    public string Property { get; }

    /// <summary>The value's length.</summary>
    public int Length { get; }

    /// <summary>The column's maximum.</summary>
    public int MaxLength { get; }
}
