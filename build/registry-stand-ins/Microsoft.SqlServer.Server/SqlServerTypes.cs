// The few public types of Microsoft.SqlServer.Server that Microsoft.Data.SqlClient refers to
// (SQL CLR user-defined types). The product uses no UDTs; these exist so the assembly binds.
namespace Microsoft.SqlServer.Server;

public interface IBinarySerialize
{
    void Read(System.IO.BinaryReader r);
    void Write(System.IO.BinaryWriter w);
}

public enum Format
{
    Unknown = 0,
    Native = 1,
    UserDefined = 2,
}

public enum DataAccessKind
{
    None = 0,
    Read = 1,
}

public enum SystemDataAccessKind
{
    None = 0,
    Read = 1,
}

[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct, AllowMultiple = false, Inherited = true)]
public sealed class SqlUserDefinedTypeAttribute(Format format) : Attribute
{
    public Format Format { get; } = format;
    public bool IsByteOrdered { get; set; }
    public bool IsFixedLength { get; set; }
    public int MaxByteSize { get; set; } = 8000;
    public string? Name { get; set; }
    public string? ValidationMethodName { get; set; }
}

[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct, AllowMultiple = false, Inherited = false)]
public sealed class SqlUserDefinedAggregateAttribute(Format format) : Attribute
{
    public const int MaxByteSizeValue = 8000;
    public Format Format { get; } = format;
    public bool IsInvariantToDuplicates { get; set; }
    public bool IsInvariantToNulls { get; set; }
    public bool IsInvariantToOrder { get; set; }
    public bool IsNullIfEmpty { get; set; }
    public int MaxByteSize { get; set; }
    public string? Name { get; set; }
}

[AttributeUsage(AttributeTargets.Field | AttributeTargets.Property | AttributeTargets.ReturnValue | AttributeTargets.Parameter, AllowMultiple = false, Inherited = false)]
public class SqlFacetAttribute : Attribute
{
    public bool IsFixedLength { get; set; }
    public bool IsNullable { get; set; }
    public int MaxSize { get; set; }
    public int Precision { get; set; }
    public int Scale { get; set; }
}

[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public class SqlFunctionAttribute : Attribute
{
    public bool IsDeterministic { get; set; }
    public DataAccessKind DataAccess { get; set; }
    public SystemDataAccessKind SystemDataAccess { get; set; }
    public bool IsPrecise { get; set; }
    public string? Name { get; set; }
    public string? TableDefinition { get; set; }
    public string? FillRowMethodName { get; set; }
}

[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class SqlMethodAttribute : SqlFunctionAttribute
{
    public bool OnNullCall { get; set; } = true;
    public bool IsMutator { get; set; }
    public bool InvokeIfReceiverIsNull { get; set; }
}

[Serializable]
public sealed class InvalidUdtException : SystemException
{
    public InvalidUdtException() { }
    public InvalidUdtException(string message) : base(message) { }
    public InvalidUdtException(string message, Exception innerException) : base(message, innerException) { }
}
