using System.Text;

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
    /// Parses CSV text (a leading byte order mark ignored, <c>;</c> or <c>,</c> as separator as found in the
    /// header line, quoted cells with doubled quotes). Returns each line's 1-based number and cells.
    /// </summary>
    public static IReadOnlyList<(int Line, IReadOnlyList<string> Cells)> Parse(string text)
    {
        text = text.TrimStart('\uFEFF');
        var separator = DetectSeparator(text);
        var rows = new List<(int, IReadOnlyList<string>)>();
        var cells = new List<string>();
        var cell = new StringBuilder();
        var quoted = false;
        var line = 1;
        var rowLine = 1;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    cell.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    line += c == '\n' ? 1 : 0;
                    cell.Append(c);
                }
            }
            else if (c == '"' && cell.Length == 0)
            {
                quoted = true;
            }
            else if (c == separator)
            {
                cells.Add(cell.ToString());
                cell.Clear();
            }
            else if (c is '\r' or '\n')
            {
                if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
                {
                    i++;
                }

                cells.Add(cell.ToString());
                cell.Clear();
                if (cells.Count > 1 || cells[0].Length > 0)
                {
                    rows.Add((rowLine, cells));
                }

                cells = [];
                line++;
                rowLine = line;
            }
            else
            {
                cell.Append(c);
            }
        }

        if (cell.Length > 0 || cells.Count > 0)
        {
            cells.Add(cell.ToString());
            rows.Add((rowLine, cells));
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
