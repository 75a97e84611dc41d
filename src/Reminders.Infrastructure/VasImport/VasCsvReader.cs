using System.Text;

namespace Reminders.Infrastructure.VasImport;

/// <summary>
/// A streaming RFC 4180 reader: comma-separated, fields optionally in double quotes (a quote doubled inside),
/// CRLF, LF or CR line ends, line breaks allowed inside quotes. Holds one buffer and one record, never the file.
/// </summary>
internal sealed class VasCsvReader(TextReader reader)
{
    /// <summary>The longest field kept (the contract's longest field is far shorter).</summary>
    public const int MaxFieldLength = 1000;

    /// <summary>The longest record kept; a longer one is reported by its line, not held in memory.</summary>
    public const int MaxRecordLength = 10_000;

    private readonly char[] _buffer = new char[64 * 1024];
    private static readonly System.Buffers.SearchValues<char> FieldEnds = System.Buffers.SearchValues.Create(",\r\n\"");
    private readonly StringBuilder _field = new();
    private int _position;
    private int _length;
    private int _line = 1;
    private bool _atStart = true;
    private int _recordLength;

    /// <summary>True when the record just read had a field or the whole record over its cap (its text was cut).</summary>
    public bool TooLong { get; private set; }

    /// <summary>
    /// Reads the next record into <paramref name="fields"/>. False at the end of the input.
    /// <paramref name="malformed"/> is set for a quote problem (text after a closing quote, a quote inside an
    /// unquoted field, or a quoted field never closed).
    /// </summary>
    public bool ReadRecord(List<string> fields, out int startLine, out bool malformed)
    {
        fields.Clear();
        malformed = false;
        TooLong = false;
        _recordLength = 0;
        startLine = _line;
        if (!Fill())
        {
            return false;
        }

        if (_atStart)
        {
            _atStart = false;
            if (_buffer[_position] == '\uFEFF')
            {
                _position++;
                if (!Fill())
                {
                    return false;
                }
            }
        }

        while (true)
        {
            _field.Clear();
            var quoted = false;
            if (Fill() && _buffer[_position] == '"')
            {
                _position++;
                quoted = true;
                malformed |= !ReadQuoted();
            }

            // The unquoted field, or anything after a closing quote (malformed).
            while (Fill())
            {
                var span = _buffer.AsSpan(_position, _length - _position);
                var stop = span.IndexOfAny(FieldEnds);
                var take = stop < 0 ? span.Length : stop;
                if (take > 0)
                {
                    malformed |= quoted;
                    Append(span[..take]);
                    _position += take;
                }

                if (stop < 0)
                {
                    continue;
                }

                if (_buffer[_position] == '"')
                {
                    malformed = true;
                    Append("\"");
                    _position++;
                    continue;
                }

                break;
            }

            fields.Add(_field.ToString());
            if (!Fill())
            {
                return true;
            }

            var end = _buffer[_position++];
            if (end == ',')
            {
                continue;
            }

            _line++;
            if (end == '\r' && Fill() && _buffer[_position] == '\n')
            {
                _position++;
            }

            return true;
        }
    }

    // Reads a quoted field's content after the opening quote; false when the input ends before the closing quote.
    private bool ReadQuoted()
    {
        while (Fill())
        {
            var span = _buffer.AsSpan(_position, _length - _position);
            var quote = span.IndexOfAny('"', '\n', '\r');
            if (quote < 0)
            {
                Append(span);
                _position = _length;
                continue;
            }

            Append(span[..quote]);
            _position += quote;
            var c = _buffer[_position++];
            if (c != '"')
            {
                if (c == '\n' || (c == '\r' && !(Fill() && _buffer[_position] == '\n')))
                {
                    _line++;
                }

                Append([c]);
                continue;
            }

            if (Fill() && _buffer[_position] == '"')
            {
                Append("\"");
                _position++;
                continue;
            }

            return true;
        }

        return false;
    }

    // Keeps a field's text up to the caps; the rest is read past and only counted, so one huge field cannot fill memory.
    private void Append(ReadOnlySpan<char> text)
    {
        _recordLength += text.Length;
        var room = Math.Min(MaxFieldLength - _field.Length, MaxRecordLength - _recordLength + text.Length);
        if (text.Length > room || _recordLength > MaxRecordLength)
        {
            TooLong = true;
        }

        _field.Append(text[..Math.Clamp(room, 0, text.Length)]);
    }

    private bool Fill()
    {
        if (_position < _length)
        {
            return true;
        }

        _length = reader.Read(_buffer, 0, _buffer.Length);
        _position = 0;
        return _length > 0;
    }
}
