using System.Text;
using CsvHelper;

namespace Reminders.Web.Features.Reports;

/// <summary>
/// CSV for Swedish Excel (docs/decisions/0013): <c>;</c>-separated (Excel with Swedish regional settings
/// uses <c>,</c> as the decimal mark and <c>;</c> as the list separator), UTF-8 with a byte order mark so
/// Excel reads å ä ö correctly, CRLF line ends, RFC 4180 quoting. Cells that a spreadsheet would run
/// as a formula get a leading apostrophe.
/// </summary>
public static class Csv
{
    /// <summary>The separator.</summary>
    public const char Separator = ';';

    /// <summary>The content type of an export.</summary>
    public const string ContentType = "text/csv; charset=utf-8";

    /// <summary>The rows as one CSV text (without the byte order mark).</summary>
    public static string Write(IEnumerable<IReadOnlyList<string>> rows)
    {
        var text = new StringBuilder();
        foreach (var row in rows)
        {
            for (var i = 0; i < row.Count; i++)
            {
                if (i > 0)
                {
                    text.Append(Separator);
                }

                text.Append(Escape(row[i]));
            }

            text.Append("\r\n");
        }

        return text.ToString();
    }

    /// <summary>The rows as UTF-8 bytes with a byte order mark, for a download.</summary>
    public static byte[] ToBytes(IEnumerable<IReadOnlyList<string>> rows) =>
        [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(Write(rows))];

    /// <summary>
    /// Parses CSV text with CsvHelper (a leading byte order mark ignored, <c>;</c> or <c>,</c> as separator as found
    /// in the header line, RFC 4180 quoting, empty lines skipped). Returns each record's 1-based starting line and cells.
    /// </summary>
    public static IReadOnlyList<(int Line, IReadOnlyList<string> Cells)> Parse(string text)
    {
        text = text.TrimStart('\uFEFF');
        using var reader = CsvReader.FromText(text, new CsvReaderOptions
        {
            Separator = DetectSeparator(text),
            HasHeader = false,
            DetectSeparatorHint = false,
            TrackLineNumbers = true,
            SkipEmptyLines = true,
        });
        var rows = new List<(int, IReadOnlyList<string>)>();
        while (reader.Read())
        {
            var cells = new string[reader.FieldCount];
            for (var i = 0; i < cells.Length; i++)
            {
                cells[i] = reader.GetString(i);
            }

            if (cells.Length > 1 || cells[0].Length > 0)
            {
                rows.Add((checked((int)reader.LineNumber), cells));
            }
        }

        return rows;
    }

    private static char DetectSeparator(string text)
    {
        var end = text.IndexOfAny(['\r', '\n']);
        var header = end < 0 ? text : text[..end];
        return header.Contains(Separator, StringComparison.Ordinal) || !header.Contains(',', StringComparison.Ordinal) ? Separator : ',';
    }

    private static string Escape(string value)
    {
        if (value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
        {
            value = "'" + value;
        }

        return value.IndexOfAny([Separator, '"', '\r', '\n']) >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }
}
