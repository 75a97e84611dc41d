using System.Data;
using Microsoft.Data.SqlClient;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.SqlServer.TransactSql.ScriptDom;

namespace Reminders.Web.Tests.SqlServer;

/// <summary>
/// Checks a parsed T-SQL statement against the SQL Server model: every table and column it names exists, every
/// parameter and literal compared with or written to a column is of that column's type (a string literal of a
/// varchar column is not N'…', fits the column and, for an enum column, is one of the enum's names), and a
/// declared variable (EF's <c>ToQueryString</c>) has its column's type. It also records which parameter goes to
/// which column, for <see cref="ParameterProblems"/> to check the parameters a command really binds.
/// </summary>
internal sealed class TSqlModelCheck
{
    private static readonly StringComparer Names = StringComparer.OrdinalIgnoreCase;
    private readonly Dictionary<string, ITable> _tables;
    private readonly List<string> _problems = [];
    private readonly List<(string Variable, IColumn Column)> _bindings = [];

    private TSqlModelCheck(IModel model)
    {
        _tables = model.GetRelationalModel().Tables.ToDictionary(t => t.Name, Names);
    }

    /// <summary>What is wrong, one sentence each; empty when the statement fits the model.</summary>
    public IReadOnlyList<string> Problems => _problems;

    /// <summary>The parameters (by name, with '@') compared with, assigned to or inserted into a column.</summary>
    public IReadOnlyList<(string Variable, IColumn Column)> Bindings => _bindings;

    /// <summary>Checks every statement of <paramref name="tree"/> against <paramref name="model"/>.</summary>
    public static TSqlModelCheck Run(TSqlFragment tree, IModel model)
    {
        var check = new TSqlModelCheck(model);
        var statements = new StatementCollector();
        tree.Accept(statements);
        foreach (var statement in statements.Statements)
        {
            check.CheckStatement(statement);
        }

        return check;
    }

    /// <summary>
    /// Checks the parameters a command binds against the columns they meet: the SqlDbType of the column's store
    /// type (so an instant is a datetime2 parameter, never datetime), and a string's size equal to its column's
    /// length (so the value was checked against the length, and the plan is the same for every value).
    /// Every DateTime parameter, bound to a column or not, must be datetime2.
    /// </summary>
    public IReadOnlyList<string> ParameterProblems(SqlParameterCollection parameters)
    {
        var problems = new List<string>();
        var byName = parameters.Cast<SqlParameter>().ToDictionary(p => p.ParameterName, Names);
        foreach (var (variable, column) in _bindings)
        {
            if (!byName.TryGetValue(variable, out var parameter))
            {
                problems.Add($"{variable} is used in the statement but not bound.");
                continue;
            }

            var (type, length) = StoreType(column.StoreType);
            var expected = Enum.Parse<SqlDbType>(type, ignoreCase: true);
            if (parameter.SqlDbType != expected)
            {
                problems.Add($"{variable} is {parameter.SqlDbType} but {column.Table.Name}.{column.Name} is {column.StoreType}.");
            }
            else if (length is { } max && parameter.Size != max)
            {
                problems.Add($"{variable} has size {parameter.Size} but {column.Table.Name}.{column.Name} is {column.StoreType}.");
            }
        }

        foreach (var parameter in byName.Values.Where(p => p.Value is DateTime && p.SqlDbType != SqlDbType.DateTime2))
        {
            problems.Add($"{parameter.ParameterName} carries an instant as {parameter.SqlDbType}, not datetime2.");
        }

        return problems;
    }

    /// <summary>A store type's base name and its length (null for max or none): varchar(100) → (varchar, 100).</summary>
    public static (string Type, int? Length) StoreType(string storeType)
    {
        var open = storeType.IndexOf('(', StringComparison.Ordinal);
        if (open < 0)
        {
            return (storeType, null);
        }

        var inner = storeType[(open + 1)..storeType.IndexOf(')', StringComparison.Ordinal)];
        return (storeType[..open], int.TryParse(inner, out var length) ? length : null);
    }

    private void CheckStatement(TSqlStatement statement)
    {
        var parts = new PartsCollector();
        statement.Accept(parts);

        // Tables: model tables by alias and by name; a CTE stands for the model tables its query reads.
        var statementTables = new List<ITable>();
        var aliases = new Dictionary<string, List<ITable>>(Names);
        foreach (var reference in parts.Tables)
        {
            var name = reference.SchemaObject.BaseIdentifier.Value;
            if (parts.Ctes.Contains(name))
            {
                continue;
            }

            if (!_tables.TryGetValue(name, out var table))
            {
                _problems.Add($"Table {name} is not in the SQL Server model.");
                continue;
            }

            statementTables.Add(table);
            Alias(aliases, reference.Alias?.Value ?? name, table);
            Alias(aliases, name, table);
        }

        foreach (var name in parts.Ctes.Concat(["inserted", "deleted"]))
        {
            aliases[name] = statementTables;
        }

        var resolved = new Dictionary<ColumnReferenceExpression, IColumn>();
        foreach (var reference in parts.Columns)
        {
            var identifiers = reference.MultiPartIdentifier.Identifiers;
            var name = identifiers[^1].Value;
            var qualifier = identifiers.Count > 1 ? identifiers[^2].Value : null;
            if (qualifier is not null && parts.JsonTables.TryGetValue(qualifier, out var declared))
            {
                // OPENJSON(@ids) WITH ([value] bigint '$') AS [p]: EF's collection parameter; its columns are the WITH clause's.
                if (!declared.Contains(name))
                {
                    _problems.Add($"{qualifier}.{name}: {name} is not a column of the OPENJSON WITH clause.");
                }

                continue;
            }

            var candidates = qualifier is not null && aliases.TryGetValue(qualifier, out var tables) ? tables
                : qualifier is null || parts.Derived.Contains(qualifier) ? statementTables
                : null;
            if (candidates is null)
            {
                _problems.Add($"{qualifier}.{name}: {qualifier} is neither a table nor an alias of the statement.");
                continue;
            }

            var column = candidates.Select(t => t.FindColumn(name)).FirstOrDefault(c => c is not null);
            if (column is not null)
            {
                resolved[reference] = column;
            }
            else if (!(qualifier is null || parts.Derived.Contains(qualifier) || parts.Ctes.Contains(qualifier)) || !parts.OutputNames.Contains(name))
            {
                _problems.Add($"Column {(qualifier is null ? "" : qualifier + ".")}{name} is not in {string.Join(" or ", candidates.Select(t => t.Name).Distinct())} of the SQL Server model.");
            }
        }

        foreach (var (left, right) in parts.Pairs)
        {
            if (left is ColumnReferenceExpression c && resolved.TryGetValue(c, out var column))
            {
                CheckValue(column, right, parts.Declared);
            }
            else if (right is ColumnReferenceExpression c2 && resolved.TryGetValue(c2, out var column2))
            {
                CheckValue(column2, left, parts.Declared);
            }
        }
    }

    private static void Alias(Dictionary<string, List<ITable>> aliases, string alias, ITable table)
    {
        if (!aliases.TryGetValue(alias, out var list))
        {
            aliases[alias] = list = [];
        }

        if (!list.Contains(table))
        {
            list.Add(table);
        }
    }

    private void CheckValue(IColumn column, ScalarExpression value, Dictionary<string, DataTypeReference> declared)
    {
        while (value is ParenthesisExpression p)
        {
            value = p.Expression;
        }

        var (type, length) = StoreType(column.StoreType);
        var where = $"{column.Table.Name}.{column.Name} ({column.StoreType})";
        switch (value)
        {
            case VariableReference variable:
                _bindings.Add((variable.Name, column));
                if (declared.TryGetValue(variable.Name, out var declaredType) && declaredType is SqlDataTypeReference sql
                    && !string.Equals(sql.SqlDataTypeOption.ToString(), type, StringComparison.OrdinalIgnoreCase))
                {
                    _problems.Add($"{variable.Name} is declared {sql.SqlDataTypeOption} but meets {where}.");
                }

                break;
            case StringLiteral literal:
                var unicode = type.StartsWith('n');
                if (literal.IsNational && !unicode)
                {
                    _problems.Add($"N'{literal.Value}' meets the varchar column {where}: SQL Server converts the column, not the literal.");
                }

                if (length is { } max && literal.Value.Length > max)
                {
                    _problems.Add($"'{literal.Value}' is longer than {where}.");
                }

                var clr = column.PropertyMappings[0].Property.ClrType;
                var enumType = Nullable.GetUnderlyingType(clr) ?? clr;
                if (enumType.IsEnum && !Enum.GetNames(enumType).Contains(literal.Value, StringComparer.Ordinal))
                {
                    _problems.Add($"'{literal.Value}' is not a {enumType.Name}, the values of {where}.");
                }

                break;
            case IntegerLiteral when type is not ("int" or "bigint" or "smallint" or "tinyint" or "bit" or "decimal"):
                _problems.Add($"An integer meets {where}.");
                break;
            default:
                break;
        }
    }

    /// <summary>The statements of a tree, each once (a statement inside another is checked with its outer one).</summary>
    private sealed class StatementCollector : TSqlFragmentVisitor
    {
        public List<TSqlStatement> Statements { get; } = [];

        public override void ExplicitVisit(TSqlBatch node)
        {
            Statements.AddRange(node.Statements);
        }

        public override void ExplicitVisit(TSqlScript node)
        {
            foreach (var batch in node.Batches)
            {
                batch.Accept(this);
            }
        }
    }

    /// <summary>What a statement names and how its values meet its columns.</summary>
    private sealed class PartsCollector : TSqlFragmentVisitor
    {
        public List<NamedTableReference> Tables { get; } = [];

        public HashSet<string> Ctes { get; } = new(Names);

        public HashSet<string> Derived { get; } = new(Names);

        public HashSet<string> OutputNames { get; } = new(Names);

        public List<ColumnReferenceExpression> Columns { get; } = [];

        public List<(ScalarExpression Left, ScalarExpression Right)> Pairs { get; } = [];

        public Dictionary<string, DataTypeReference> Declared { get; } = new(Names);

        public Dictionary<string, HashSet<string>> JsonTables { get; } = new(Names);

        public override void Visit(NamedTableReference node) => Tables.Add(node);

        public override void Visit(OpenJsonTableReference node)
        {
            if (node.Alias is not null)
            {
                JsonTables[node.Alias.Value] = node.SchemaDeclarationItems.Select(i => i.ColumnDefinition.ColumnIdentifier.Value).ToHashSet(Names);
            }
        }

        public override void Visit(CommonTableExpression node) => Ctes.Add(node.ExpressionName.Value);

        public override void Visit(QueryDerivedTable node)
        {
            if (node.Alias is not null)
            {
                Derived.Add(node.Alias.Value);
            }
        }

        public override void Visit(SelectScalarExpression node)
        {
            if (node.ColumnName?.Value is { } name)
            {
                OutputNames.Add(name);
            }
            else if (node.Expression is ColumnReferenceExpression column && column.MultiPartIdentifier is { } id)
            {
                OutputNames.Add(id.Identifiers[^1].Value);
            }
        }

        public override void Visit(ColumnReferenceExpression node)
        {
            if (node.ColumnType == ColumnType.Regular && node.MultiPartIdentifier is not null)
            {
                Columns.Add(node);
            }
        }

        public override void Visit(BooleanComparisonExpression node) => Pairs.Add((node.FirstExpression, node.SecondExpression));

        public override void Visit(AssignmentSetClause node)
        {
            if (node.Column is not null && node.NewValue is not null)
            {
                Pairs.Add((node.Column, node.NewValue));
            }
        }

        public override void Visit(InsertSpecification node)
        {
            if (node.InsertSource is ValuesInsertSource values)
            {
                foreach (var row in values.RowValues)
                {
                    for (var i = 0; i < Math.Min(node.Columns.Count, row.ColumnValues.Count); i++)
                    {
                        Pairs.Add((node.Columns[i], row.ColumnValues[i]));
                    }
                }
            }
        }

        public override void Visit(DeclareVariableElement node) => Declared[node.VariableName.Value] = node.DataType;
    }
}
