using System.Text;
using CsvHelper;

namespace Reminders.Infrastructure.VasImport;

/// <summary>
/// The VAS file's records, read by CsvHelper (RFC 4180: comma-separated, fields optionally in double quotes with a
/// quote doubled inside, CRLF, LF or CR line ends, line breaks allowed inside quotes) straight from the UTF-8 bytes.
/// Each record comes with the line it starts on, whether its quoting is broken, and whether it is over the caps; a
/// record over the caps is reported by its line and its text is never turned into strings.
/// </summary>
internal sealed class VasCsvRecords : IDisposable
{
    /// <summary>The longest field kept (the contract's longest field is far shorter).</summary>
    public const int MaxFieldLength = 1000;

    /// <summary>The longest record kept; a longer one is reported by its line, its fields are not read.</summary>
    public const int MaxRecordLength = 10_000;

    /// <summary>
    /// The most bytes one record may hold in the reader's buffer. A longer record (an unclosed quote that runs on,
    /// or a file that is not CSV) ends the reading: what follows it cannot be split into rows with any confidence.
    /// </summary>
    public const int MaxBufferedRecordBytes = 1024 * 1024;

    private readonly CsvReader _csv;
    private readonly Queue<long> _malformedLines = new();

    /// <summary>Reads <paramref name="utf8"/> from its current position; the stream is left open.</summary>
    public VasCsvRecords(Stream utf8)
    {
        _csv = CsvReader.Create(utf8, new CsvReaderOptions
        {
            Separator = ',',
            HasHeader = false,
            Mode = CsvMode.Rfc4180,
            AllowLineBreaksInQuotes = true,
            SkipEmptyLines = false,
            DetectSeparatorHint = false,
            TrackLineNumbers = true,
            TrimWhitespace = false,
            MalformedData = CsvMalformedDataHandling.Recover,
            OnMalformedRecord = record => _malformedLines.Enqueue(record.LineNumber),
            MaxRecordSize = MaxBufferedRecordBytes,
            IncludeValuesInExceptions = false,
        }, leaveOpen: true);
    }

    /// <summary>The line the last record read starts on (1-based, every line counted, also those inside quotes).</summary>
    public int Line { get; private set; }

    /// <summary>True when the record just read had broken quoting (text after a closing quote, a quote inside an unquoted field, a quoted field never closed).</summary>
    public bool Malformed { get; private set; }

    /// <summary>True when the record just read had a field or the whole record over its cap; its fields are not read.</summary>
    public bool TooLong { get; private set; }

    /// <summary>
    /// Reads the next record's fields into <paramref name="fields"/> (left empty for a record over the caps). False at the
    /// end of the input. Throws <see cref="VasRecordTooLargeException"/> for a record over
    /// <see cref="MaxBufferedRecordBytes"/>.
    /// </summary>
    public bool Read(List<string> fields)
    {
        fields.Clear();
        try
        {
            if (!_csv.Read())
            {
                return false;
            }
        }
        catch (CsvFormatException e)
        {
            throw new VasRecordTooLargeException((int)Math.Max(e.LineNumber, Line + 1L), e);
        }

        Line = checked((int)_csv.LineNumber);
        Malformed = false;
        while (_malformedLines.TryPeek(out var malformed) && malformed <= Line)
        {
            _malformedLines.Dequeue();
            Malformed |= malformed == Line;
        }

        TooLong = IsTooLong();
        if (!TooLong)
        {
            for (var i = 0; i < _csv.FieldCount; i++)
            {
                fields.Add(_csv.GetString(i));
            }
        }

        return true;
    }

    /// <summary>Reads every record without turning fields into text: only to find a record too large to hold.</summary>
    public void SkipToEnd()
    {
        try
        {
            while (_csv.Read())
            {
                Line = checked((int)_csv.LineNumber);
            }
        }
        catch (CsvFormatException e)
        {
            throw new VasRecordTooLargeException((int)Math.Max(e.LineNumber, Line + 1L), e);
        }
    }

    /// <inheritdoc />
    public void Dispose() => _csv.Dispose();

    // A UTF-16 text is never longer than its UTF-8 bytes: only a long raw record needs its fields measured in characters.
    private bool IsTooLong()
    {
        if (_csv.RawRecord.Length <= MaxFieldLength)
        {
            return false;
        }

        var record = 0;
        for (var i = 0; i < _csv.FieldCount; i++)
        {
            var length = Encoding.UTF8.GetCharCount(_csv.GetSpan(i));
            record += length;
            if (length > MaxFieldLength || record > MaxRecordLength)
            {
                return true;
            }
        }

        return false;
    }
}

/// <summary>A record longer than the reader holds: the reading stops at its line.</summary>
public sealed class VasRecordTooLargeException : Exception
{
    /// <summary>Creates the error for the record starting at <paramref name="line"/>.</summary>
    public VasRecordTooLargeException(int line, Exception innerException)
        : base(FormattableString.Invariant($"The record that starts on line {line} is longer than {VasCsvRecords.MaxBufferedRecordBytes / (1024 * 1024)} MB (an unclosed quote?); the file was read up to that line."), innerException) =>
        Line = line;

    /// <summary>Creates the error without details.</summary>
    public VasRecordTooLargeException()
    {
    }

    /// <summary>Creates the error with a message.</summary>
    public VasRecordTooLargeException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the error with a message and cause.</summary>
    public VasRecordTooLargeException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The line the record starts on.</summary>
    public int Line { get; }
}
