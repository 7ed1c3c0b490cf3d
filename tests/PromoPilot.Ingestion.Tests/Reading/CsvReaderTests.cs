using System.IO.Compression;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using PromoPilot.Ingestion.Reading;

namespace PromoPilot.Ingestion.Tests.Reading;

public class CsvReaderTests
{
    // One fixed seed, so a property failure reproduces run after run.
    private const string Seed = "(1234567890,987654321)";

    private static readonly RecordError[] ErrorKinds =
        [RecordError.None, RecordError.EmptyLine, RecordError.InvalidEncoding, RecordError.UnterminatedQuote, RecordError.MalformedQuote, RecordError.RecordTooLong];

    [Fact]
    public void Read_QuotedFieldWithDelimiterNewlineAndEscapedQuotes_IsOneUnescapedField()
    {
        var rows = ReadAll("id,text,n\n1,\"a, \"\"b\"\"\nc\",2\n3,plain,4\n");

        Assert.Equal(2, rows.Count);
        Assert.Equal(new Row(2, RecordError.None, ["1", "a, \"b\"\nc", "2"]), rows[0]);
        Assert.Equal(new Row(4, RecordError.None, ["3", "plain", "4"]), rows[1]);
    }

    [Fact]
    public void Read_QuoteInsideUnquotedField_IsAnOrdinaryCharacter()
    {
        var rows = ReadAll("a,b\nab\"c,5 \"inch\"\n");

        Assert.Equal(new Row(2, RecordError.None, ["ab\"c", "5 \"inch\""]), Assert.Single(rows));
    }

    [Fact]
    public void Read_EmptyQuotedAndUnquotedFields_AreEmptyStrings()
    {
        var rows = ReadAll("a,b,c\n,\"\",\n\"\"\n");

        Assert.Equal(new Row(2, RecordError.None, ["", "", ""]), rows[0]);
        Assert.Equal(new Row(3, RecordError.None, [""]), rows[1]);
    }

    [Fact]
    public void Read_CrlfLineEnds_AreNotPartOfFields()
    {
        using var reader = Open("a,b\r\n1,2\r\n\"x\r\ny\",\"q\"\r\n3,\r\n");
        var rows = ReadAll(reader);

        Assert.Equal(["a", "b"], reader.Header);
        Assert.Equal(
            [
                new Row(2, RecordError.None, ["1", "2"]),
                new Row(3, RecordError.None, ["x\r\ny", "q"]),
                new Row(5, RecordError.None, ["3", ""]),
            ],
            rows);
    }

    [Fact]
    public void Header_Utf8ByteOrderMark_IsSkipped()
    {
        using var reader = CsvReader.FromStream(new MemoryStream([0xEF, 0xBB, 0xBF, .. "id,name\n1,x\n"u8]), "bom.csv");

        Assert.Equal(["id", "name"], reader.Header);
        Assert.Equal([new Row(2, RecordError.None, ["1", "x"])], ReadAll(reader));
    }

    [Fact]
    public void Header_NamesWithSpacesAndQuotes_AreParsedAndTrimmed()
    {
        using var reader = Open(" id ,\"unit, price\",\"say \"\"hi\"\"\"\n1,2,3\n");

        Assert.Equal(["id", "unit, price", "say \"hi\""], reader.Header);
        Assert.Equal(1, reader.Line);
    }

    [Fact]
    public void Open_NoHeaderOption_UsesColumnNamesAndReadsFirstLineAsData()
    {
        using var reader = Open("1,2\n3,4\n", new CsvOptions { HasHeader = false, ColumnNames = ["a", "b"] });

        Assert.Equal(["a", "b"], reader.Header);
        Assert.Equal([new Row(1, RecordError.None, ["1", "2"]), new Row(2, RecordError.None, ["3", "4"])], ReadAll(reader));
    }

    [Fact]
    public void Open_NoHeaderAndNoColumnNames_ThrowsArgumentException() =>
        Assert.Throws<ArgumentException>(() => Open("1,2\n", new CsvOptions { HasHeader = false }));

    [Theory]
    [InlineData("")]
    [InlineData("\n1,2\n")]
    public void Open_MissingOrEmptyHeader_ThrowsInvalidDataException(string text) =>
        Assert.Throws<InvalidDataException>(() => Open(text));

    [Theory]
    [InlineData("\n")]
    [InlineData("\r\n")]
    [InlineData("")]
    public void Read_TrailingNewlineOrNone_GivesTheSameRecords(string end)
    {
        var rows = ReadAll($"a,b\n1,2\n3,\"x\"{end}");

        Assert.Equal([new Row(2, RecordError.None, ["1", "2"]), new Row(3, RecordError.None, ["3", "x"])], rows);
    }

    [Fact]
    public void Read_LastFieldEmptyWithoutTrailingNewline_IsAnEmptyField() =>
        Assert.Equal([new Row(2, RecordError.None, ["1", ""])], ReadAll("a,b\n1,"));

    [Theory]
    [InlineData("h\n1\n\r")]
    [InlineData("h\n1\n\r\n")]
    public void Read_LoneCarriageReturnAsLastLine_IsAnEmptyLineLikeCrLf(string text) =>
        Assert.Equal([new Row(2, RecordError.None, ["1"]), new Row(3, RecordError.EmptyLine, [])], ReadAll(text));

    [Fact]
    public void Read_EmptyLines_AreEmptyLineErrorsAndLaterLinesKeepTheirNumbers()
    {
        var rows = ReadAll("h\n1\n\n2\r\n\r\n\n3\n");

        Assert.Equal(
            [
                new Row(2, RecordError.None, ["1"]),
                new Row(3, RecordError.EmptyLine, []),
                new Row(4, RecordError.None, ["2"]),
                new Row(5, RecordError.EmptyLine, []),
                new Row(6, RecordError.EmptyLine, []),
                new Row(7, RecordError.None, ["3"]),
            ],
            rows);
    }

    [Fact]
    public void Read_UnclosedQuote_IsCutAtItsOwnLineAndReadingResumesOnTheNext()
    {
        using var reader = Open("a,b\n\"x\ny\",1\n2,\"open\n3,z\n4,w");
        var rows = ReadAll(reader);

        Assert.Equal(
            [
                new Row(2, RecordError.None, ["x\ny", "1"]),
                new Row(4, RecordError.UnterminatedQuote, []),
                new Row(5, RecordError.None, ["3", "z"]),
                new Row(6, RecordError.None, ["4", "w"]),
            ],
            rows);
    }

    [Fact]
    public void Read_UnclosedQuoteFarFromTheEnd_IsCutAtItsLineAndAllLaterRowsAreRead()
    {
        // The rest of the file is larger than the buffer, so the reader hits the record limit before the end.
        var text = new StringBuilder("a,b\n1,\"never closed\n");
        for (var i = 0; i < 10_000; i++)
        {
            text.Append(i).Append(",row ").Append(i).Append('\n');
        }

        var rows = ReadAll(text.ToString(), new CsvOptions { MaxRecordBytes = 1024 });

        Assert.Equal(10_001, rows.Count);
        Assert.Equal(new Row(2, RecordError.UnterminatedQuote, []), rows[0]);
        for (var i = 0; i < 10_000; i++)
        {
            Assert.Equal(new Row(i + 3, RecordError.None, [$"{i}", $"row {i}"]), rows[i + 1]);
        }
    }

    [Theory]
    [InlineData("a,b\n\"x\"y,1\n2,3\n")]
    [InlineData("a,b\n1,\"x\" \n2,3\n")]
    [InlineData("a,b\n1,\"x\"\"\"\"y\"z\n2,3\n")]
    public void Read_TextAfterClosingQuote_IsMalformedQuoteAndNextLineIsRead(string text)
    {
        var rows = ReadAll(text);

        Assert.Equal([new Row(2, RecordError.MalformedQuote, []), new Row(3, RecordError.None, ["2", "3"])], rows);
    }

    [Fact]
    public void Read_TextAfterClosingQuoteOfMultilineField_IsMalformedQuoteCoveringAllItsLines()
    {
        var rows = ReadAll("a,b\n1,\"x\ny\nz\"!,4\n2,3\n");

        Assert.Equal([new Row(2, RecordError.MalformedQuote, []), new Row(5, RecordError.None, ["2", "3"])], rows);
    }

    [Theory]
    [InlineData(new byte[] { 0xC3, 0x28 })]
    [InlineData(new byte[] { 0x80 })]
    [InlineData(new byte[] { 0xC0, 0x80 })]
    [InlineData(new byte[] { 0xE2, 0x82 })]
    [InlineData(new byte[] { 0xED, 0xA0, 0x80 })]
    [InlineData(new byte[] { 0xFF })]
    public void Read_InvalidUtf8_IsInvalidEncodingWhileNeighboursAreFine(byte[] bad)
    {
        using var reader = CsvReader.FromStream(new MemoryStream([.. "a,b\nok1,é\n\"q"u8, .. bad, .. "\",x\nok2,€\n"u8]), "bad.csv");

        Assert.True(reader.Read());
        Assert.Equal(new Row(2, RecordError.None, ["ok1", "é"]), Current(reader));
        Assert.True(reader.Read());
        Assert.Equal(new Row(3, RecordError.InvalidEncoding, []), Current(reader));
        Assert.StartsWith("\"q", reader.RawRecord(), StringComparison.Ordinal);
        Assert.True(reader.Read());
        Assert.Equal(new Row(4, RecordError.None, ["ok2", "€"]), Current(reader));
        Assert.False(reader.Read());
    }

    [Fact]
    public void FieldString_Latin1Option_DecodesHighBytes()
    {
        byte[] bytes = [.. "name,city\nCaf"u8, 0xE9, .. ",K"u8, 0xF6, .. "ln\n"u8];

        using var latin1 = CsvReader.FromStream(new MemoryStream(bytes), "latin1.csv", new CsvOptions { Latin1 = true });
        Assert.Equal([new Row(2, RecordError.None, ["Café", "Köln"])], ReadAll(latin1));

        using var utf8 = CsvReader.FromStream(new MemoryStream(bytes), "latin1.csv");
        Assert.Equal([new Row(2, RecordError.InvalidEncoding, [])], ReadAll(utf8));
    }

    [Fact]
    public void Read_GzipInput_GivesTheSameRecordsAsPlain()
    {
        var text = new StringBuilder("id,text\n");
        for (var i = 0; i < 3_000; i++)
        {
            text.Append(i).Append(",\"line ").Append(i).Append(i % 5 == 0 ? "\nsecond \"\"part\"\"" : "").Append("\"\n");
        }

        text.Append("\nlast,\"open\n");
        var plain = Encoding.UTF8.GetBytes(text.ToString());
        var options = new CsvOptions { MaxRecordBytes = 1024 };

        using var gzipReader = CsvReader.FromStream(new MemoryStream(Gzip(plain)), "data.csv.gz", options);
        using var plainReader = CsvReader.FromStream(new MemoryStream(plain), "data.csv", options);

        var expected = ReadAll(plainReader);
        Assert.Equal(3_002, expected.Count);
        Assert.Equal(["id", "text"], gzipReader.Header);
        Assert.Equal(expected, ReadAll(gzipReader));
    }

    [Fact]
    public void Read_RecordLongerThanMaxRecordBytes_IsRecordTooLongAndNextLineIsRead()
    {
        var rows = ReadAll($"a,b\n1,{new string('x', 2_000)}\n2,short\n", new CsvOptions { MaxRecordBytes = 1024 });

        Assert.Equal([new Row(2, RecordError.RecordTooLong, []), new Row(3, RecordError.None, ["2", "short"])], rows);
    }

    [Fact]
    public void Read_RecordOfExactlyMaxRecordBytes_IsAccepted()
    {
        // 1,<1021 x>\n is 1024 bytes with its newline.
        var rows = ReadAll($"a,b\n1,{new string('x', 1_021)}\n2,short\n", new CsvOptions { MaxRecordBytes = 1024 });

        Assert.Equal([new Row(2, RecordError.None, ["1", new string('x', 1_021)]), new Row(3, RecordError.None, ["2", "short"])], rows);
    }

    [Fact]
    public void Read_QuotedMultilineRecordLongerThanMaxRecordBytes_IsCutAtItsFirstLine()
    {
        var field = string.Join('\n', Enumerable.Repeat(new string('y', 99), 20));
        var rows = ReadAll($"a,b\n1,\"{field}\"\n2,short\n", new CsvOptions { MaxRecordBytes = 1024 });

        // The record does not end within the limit, so its quote counts as unclosed: the first line is
        // quarantined and the field's other lines are read as lines of their own (the last ends in a quote).
        Assert.Equal(21, rows.Count);
        Assert.Equal(new Row(2, RecordError.UnterminatedQuote, []), rows[0]);
        Assert.All(rows.Skip(1).Take(18), (row, k) => Assert.Equal(new Row(k + 3, RecordError.None, [new string('y', 99)]), row));
        Assert.Equal(new Row(21, RecordError.None, [new string('y', 99) + "\""]), rows[^2]);
        Assert.Equal(new Row(22, RecordError.None, ["2", "short"]), rows[^1]);
    }

    [Fact]
    public void Read_OverlongLineLargerThanTheBuffer_IsSkippedToItsEndAndRawRecordShowsItsStart()
    {
        var text = $"a,b\nLONG:{new string('y', 200_000)}\n2,short\n3,\"open\n4,end";
        using var reader = Open(text, new CsvOptions { MaxRecordBytes = 1024 });

        Assert.True(reader.Read());
        Assert.Equal(new Row(2, RecordError.RecordTooLong, []), Current(reader));
        Assert.StartsWith("LONG:yyy", reader.RawRecord(), StringComparison.Ordinal);
        Assert.Equal(
            [
                new Row(3, RecordError.None, ["2", "short"]),
                new Row(4, RecordError.UnterminatedQuote, []),
                new Row(5, RecordError.None, ["4", "end"]),
            ],
            ReadAll(reader));
    }

    [Fact]
    public void Read_ManyRowsAcrossTheBufferBoundary_AreReadIntact()
    {
        // MaxRecordBytes = 1024 gives a buffer of about 66 KiB; these rows total several buffers.
        var table = Enumerable.Range(0, 6_000).Select(i => new[]
        {
            i.ToString(System.Globalization.CultureInfo.InvariantCulture),
            i % 7 == 0 ? $"multi\nline \"{i}\"" : $"plain {i}",
            i % 3 == 0 ? "Zürich, \"日本\" 😀" : new string('z', i % 97),
            i % 11 == 0 ? "" : "end",
        }).ToArray();

        var (bytes, lines) = Write(table, ',', i => i % 2 == 0 ? "\r\n" : "\n", trailingNewline: false, byteOrderMark: false, quoteAll: _ => false);
        Assert.True(bytes.Length > 3 * (1024 + 65536), $"only {bytes.Length} bytes");

        foreach (var input in new[] { bytes, Gzip(bytes) })
        {
            using var reader = CsvReader.FromStream(new MemoryStream(input), "big.csv", new CsvOptions { HasHeader = false, ColumnNames = ["a", "b", "c", "d"], MaxRecordBytes = 1024 });
            var rows = ReadAll(reader);
            Assert.Equal(table.Length, rows.Count);
            for (var i = 0; i < table.Length; i++)
            {
                Assert.Equal(new Row(lines[i], RecordError.None, table[i]), rows[i]);
            }
        }
    }

    [Fact]
    public void Field_IndexOutsideTheRecord_ThrowsArgumentOutOfRange()
    {
        using var reader = Open("a,b\n1,2\n");
        Assert.True(reader.Read());

        Assert.Throws<ArgumentOutOfRangeException>(() => reader.Field(2).Length);
        Assert.Throws<ArgumentOutOfRangeException>(() => reader.Field(-1).Length);
    }

    [Fact]
    public void Open_SemicolonDelimiter_SplitsOnSemicolonsOnly()
    {
        var rows = ReadAll("a;b\n1,5;\"x;y\"\n", new CsvOptions { Delimiter = (byte)';' });

        Assert.Equal([new Row(2, RecordError.None, ["1,5", "x;y"])], rows);
    }

    /// <summary>Any table written by a correct RFC 4180 writer reads back field for field, with its line numbers.</summary>
    [Property(MaxTest = 300, Replay = Seed, QuietOnSuccess = true)]
    public Property Read_AnyTableWrittenAsRfc4180_RoundTripsFieldsAndLineNumbers() =>
        Prop.ForAll(TableArb(), table =>
        {
            var (bytes, lines) = Write(table.Rows, table.Delimiter, i => table.CrLf[i] ? "\r\n" : "\n", table.TrailingNewline, table.ByteOrderMark, i => table.QuoteAll[i]);
            using var reader = CsvReader.FromStream(new MemoryStream(bytes), "table.csv", new CsvOptions
            {
                Delimiter = (byte)table.Delimiter,
                HasHeader = false,
                ColumnNames = [.. Enumerable.Range(0, table.Columns).Select(c => $"c{c}")],
            });

            var rows = ReadAll(reader);
            Assert.Equal(table.Rows.Length, rows.Count);
            for (var i = 0; i < rows.Count; i++)
            {
                Assert.Equal(new Row(lines[i], RecordError.None, table.Rows[i]), rows[i]);
            }
        });

    /// <summary>
    /// Garbage bytes never make the reader throw, every error is one of the listed kinds, and every physical
    /// line is accounted for: records start at line 1 and each starts where the previous one ended, so a
    /// plain sentinel line appended after the garbage is read as the last record at (garbage lines + 1).
    /// </summary>
    [Property(MaxTest = 300, Replay = Seed, QuietOnSuccess = true)]
    public Property Read_AnyBytes_NeverThrowsAndAccountsForEveryLine() =>
        Prop.ForAll(GarbageArb(), input =>
        {
            var garbage = (byte[])[.. input.Filler, .. input.Bytes];
            byte[] bytes = [.. garbage, (byte)'\n', .. "END\n"u8];
            var garbageLines = PhysicalLines([.. garbage, (byte)'\n']);

            var rows = ReadAll(bytes, input.Options);

            Assert.NotEmpty(rows);
            Assert.Equal(1, rows[0].Line);
            Assert.All(rows, row => Assert.Contains(row.Error, ErrorKinds));
            Assert.All(rows.Zip(rows.Skip(1)), pair => Assert.True(pair.First.Line < pair.Second.Line, $"line {pair.Second.Line} follows line {pair.First.Line}"));
            Assert.Equal(new Row(garbageLines + 1, RecordError.None, ["END"]), rows[^1]);

            // Without the sentinel the records are the same, except that an unterminated last line may read
            // differently (one byte shorter, it can fall within MaxRecordBytes); it still starts on the same line.
            var bare = ReadAll(garbage, input.Options);
            var same = garbage.Length > 0 && garbage[^1] != '\n' ? bare.Count - 1 : bare.Count;
            Assert.Equal(rows[..same], bare[..same]);
            Assert.True(bare.Count == 0 || (bare[^1].Line == rows[bare.Count - 1].Line && bare[^1].Line <= PhysicalLines(garbage)));
        });

    /// <summary>
    /// Where a record falls in the internal buffer does not change how it is read: garbage read alone and
    /// read after complete filler lines that push it across the buffer's end gives the same records.
    /// </summary>
    [Property(MaxTest = 300, Replay = Seed, QuietOnSuccess = true)]
    public Property Read_AnyBytesShiftedAcrossTheBufferEnd_GiveTheSameRecords() =>
        Prop.ForAll(GarbageArb(), input =>
        {
            byte[] garbage = [.. "start\n"u8, .. input.Bytes];
            var filler = input.Filler.Length > 0 ? input.Filler : Filler(BufferSize(input.Options) - (input.Bytes.Length / 2) - 6);
            var fillerLines = PhysicalLines(filler);

            var alone = ReadAll(garbage, input.Options);
            var shifted = ReadAll([.. filler, .. garbage], input.Options);

            Assert.All(shifted.Take(fillerLines), (row, k) => Assert.Equal(k + 1, row.Line));
            Assert.Equal(alone, shifted.Skip(fillerLines).Select(row => row with { Line = row.Line - fillerLines }).ToList());
        });

    private static CsvReader Open(string text, CsvOptions? options = null) =>
        CsvReader.FromStream(new MemoryStream(Encoding.UTF8.GetBytes(text)), "test.csv", options);

    private static List<Row> ReadAll(string text, CsvOptions? options = null)
    {
        using var reader = Open(text, options);
        return ReadAll(reader);
    }

    private static List<Row> ReadAll(byte[] bytes, CsvOptions options)
    {
        using var reader = CsvReader.FromStream(new MemoryStream(bytes), "garbage.csv", options);
        return ReadAll(reader);
    }

    private static List<Row> ReadAll(CsvReader reader)
    {
        var rows = new List<Row>();
        while (reader.Read())
        {
            rows.Add(Current(reader));
            _ = reader.RawRecord();
        }

        return rows;
    }

    private static Row Current(CsvReader reader) =>
        new(reader.Line, reader.Error, [.. Enumerable.Range(0, reader.FieldCount).Select(reader.FieldString)]);

    private static byte[] Gzip(byte[] plain)
    {
        using var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(plain);
        }

        return compressed.ToArray();
    }

    /// <summary>Physical lines: newline-terminated lines plus an unterminated last one.</summary>
    private static int PhysicalLines(ReadOnlySpan<byte> bytes) =>
        bytes.Count((byte)'\n') + (bytes.Length > 0 && bytes[^1] != '\n' ? 1 : 0);

    private static int BufferSize(CsvOptions options) => options.MaxRecordBytes + (1 << 16);

    /// <summary>
    /// Complete lines of 1,000 bytes (a few, so the properties stay fast; records too long for a small
    /// MaxRecordBytes, which is fine), <paramref name="length"/> bytes in all (none when it is not positive).
    /// </summary>
    private static byte[] Filler(int length)
    {
        var filler = new byte[Math.Max(0, length)];
        for (var i = 0; i < filler.Length; i++)
        {
            filler[i] = i % 1000 == 999 || i == filler.Length - 1 ? (byte)'\n' : (byte)('a' + (i % 26));
        }

        return filler;
    }

    /// <summary>
    /// A correct RFC 4180 writer: a field is quoted when it holds the delimiter, a quote, CR or LF, when it is
    /// the only, empty field of its row (else the row would be an empty line), when it starts with U+FEFF (it
    /// would read as a byte order mark at the start of the file), or when the test asks for quotes anyway.
    /// Returns the bytes and the 1-based physical line each row starts on.
    /// </summary>
    private static (byte[] Bytes, long[] Lines) Write(
        IReadOnlyList<string[]> rows, char delimiter, Func<int, string> newline, bool trailingNewline, bool byteOrderMark, Func<int, bool> quoteAll)
    {
        var text = new StringBuilder();
        var lines = new long[rows.Count];
        long line = 1;
        for (var i = 0; i < rows.Count; i++)
        {
            lines[i] = line;
            var start = text.Length;
            for (var c = 0; c < rows[i].Length; c++)
            {
                if (c > 0)
                {
                    text.Append(delimiter);
                }

                var field = rows[i][c];
                var quote = quoteAll(i) || field.AsSpan().IndexOfAny([delimiter, '"', '\r', '\n']) >= 0
                    || (rows[i].Length == 1 && field.Length == 0) || field.StartsWith('\uFEFF');
                text.Append(quote ? $"\"{field.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : field);
            }

            if (i < rows.Count - 1 || trailingNewline)
            {
                text.Append(newline(i));
            }

            for (var k = start; k < text.Length; k++)
            {
                line += text[k] == '\n' ? 1 : 0;
            }
        }

        var body = Encoding.UTF8.GetBytes(text.ToString());
        return (byteOrderMark ? [0xEF, 0xBB, 0xBF, .. body] : body, lines);
    }

    private static Arbitrary<Table> TableArb()
    {
        var piece = Gen.Frequency(
            (8, Gen.Elements("a", "b", "Z", "0", "9", " ", "x y", "NA")),
            (3, Gen.Elements(",", ";", "\t", "|")),
            (3, Gen.Elements("\"", "\"\"")),
            (1, Gen.Constant("\r")),
            (2, Gen.Constant("\n")),
            (1, Gen.Constant("\r\n")),
            (2, Gen.Elements("é", "€", "日本", "😀", "\u0085", "\u2028", "\0", "\uFEFF")),
            (1, Gen.Choose(0, 0xFFFD).Select(c => c is >= 0xD800 and <= 0xDFFF ? "\uFFFD" : ((char)c).ToString())));
        var field = Gen.Frequency((1, Gen.Constant(0)), (4, Gen.Choose(1, 6))).SelectMany(n => Gen.ArrayOf(piece, n)).Select(string.Concat);

        var table =
            from delimiter in Gen.Elements(',', ';', '\t', '|')
            from columns in Gen.Frequency((2, Gen.Constant(1)), (3, Gen.Choose(2, 5)))
            from count in Gen.Choose(0, 12)
            from rows in Gen.ArrayOf(Gen.ArrayOf(field, columns), count)
            from crlf in Gen.ArrayOf(ArbMap.Default.GeneratorFor<bool>(), count)
            from quoteAll in Gen.ArrayOf(Gen.Frequency((4, Gen.Constant(false)), (1, Gen.Constant(true))), count)
            from trailing in ArbMap.Default.GeneratorFor<bool>()
            from bom in Gen.Frequency((4, Gen.Constant(false)), (1, Gen.Constant(true)))
            select new Table(delimiter, columns, rows, crlf, quoteAll, trailing, bom);
        return table.ToArbitrary();
    }

    private static Arbitrary<Garbage> GarbageArb()
    {
        var chunk = Gen.Frequency(
            (10, Gen.Elements("a", "b", "7", " ", "xyz", "NA").Select(Encoding.UTF8.GetBytes)),
            (4, Gen.Constant(","u8.ToArray())),
            (5, Gen.Constant("\""u8.ToArray())),
            (4, Gen.Constant("\n"u8.ToArray())),
            (2, Gen.Constant("\r"u8.ToArray())),
            (2, Gen.Constant("\r\n"u8.ToArray())),
            (2, Gen.Elements("é", "日本", "😀").Select(Encoding.UTF8.GetBytes)),
            (2, Gen.Choose(0x80, 0xFF).Select(b => new[] { (byte)b })),
            (1, Gen.Elements(new byte[] { 0xC3, 0x28 }, [0xE2, 0x82], [0xF0, 0x9F, 0x98], [0xC0, 0x80], [0xED, 0xA0, 0x80])),
            (1, Gen.Choose(1, 120).Select(n => Encoding.ASCII.GetBytes(new string('L', n)))));
        var bytes = Gen.Choose(0, 60).SelectMany(n => Gen.ArrayOf(chunk, n)).Select(chunks => chunks.SelectMany(c => c).ToArray());

        var garbage =
            from max in Gen.Elements(16, 100, 4096)
            from body in bytes
            from crossing in Gen.Frequency((2, Gen.Constant(false)), (1, Gen.Constant(true)))
            from offset in Gen.Choose(0, 300)
            let options = new CsvOptions { HasHeader = false, ColumnNames = ["c"], MaxRecordBytes = max }
            select new Garbage(body, crossing ? Filler(BufferSize(options) - offset) : [], options);
        return garbage.ToArbitrary();
    }

    private sealed record Row(long Line, RecordError Error, string[] Fields)
    {
        public bool Equals(Row? other) =>
            other is not null && Line == other.Line && Error == other.Error && Fields.AsSpan().SequenceEqual(other.Fields);

        public override int GetHashCode() => HashCode.Combine(Line, Error, Fields.Length);

        public override string ToString() => $"line {Line} {Error} [{string.Join(" | ", Fields.Select(f => f.ReplaceLineEndings("⏎")))}]";
    }

    private sealed record Table(char Delimiter, int Columns, string[][] Rows, bool[] CrLf, bool[] QuoteAll, bool TrailingNewline, bool ByteOrderMark)
    {
        public override string ToString() =>
            $"delimiter {(int)Delimiter}, {Rows.Length}x{Columns}, trailing {TrailingNewline}, bom {ByteOrderMark}: "
            + string.Join(" // ", Rows.Select(r => string.Join(" | ", r.Select(f => string.Concat(f.Select(ch => ch < 32 || ch == '"' ? $"\\x{(int)ch:x2}" : ch.ToString()))))));
    }

    private sealed record Garbage(byte[] Bytes, byte[] Filler, CsvOptions Options)
    {
        public override string ToString() =>
            $"max {Options.MaxRecordBytes}, filler {Filler.Length}: {Convert.ToHexString(Bytes)} \"{Encoding.Latin1.GetString(Bytes).ReplaceLineEndings("⏎")}\"";
    }
}
