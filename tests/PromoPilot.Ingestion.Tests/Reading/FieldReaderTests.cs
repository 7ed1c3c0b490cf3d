using System.Text;
using PromoPilot.Ingestion.Reading;

namespace PromoPilot.Ingestion.Tests.Reading;

public class FieldReaderTests
{
    [Theory]
    [InlineData("42", 42L)]
    [InlineData("-7", -7L)]
    [InlineData(" 12 ", 12L)]
    [InlineData("3.0", 3L)]
    [InlineData("-15.000", -15L)]
    [InlineData("1e3", 1000L)]
    [InlineData("9223372036854775807", long.MaxValue)]
    public void Int64_IntegerOrWholeFloat_IsAccepted(string text, long expected)
    {
        var (reader, fields) = Single("quantity", text);
        using (reader)
        {
            Assert.Equal(expected, fields.Int64(0));
            Assert.False(fields.Failed);
        }
    }

    [Theory]
    [InlineData("3.5")]
    [InlineData("abc")]
    [InlineData("12abc")]
    [InlineData("9223372036854775808")]
    [InlineData("1e16")]
    public void Int64_FractionOrText_IsRejectedNamingTheColumn(string text)
    {
        var (reader, fields) = Single("quantity", text);
        using (reader)
        {
            fields.Int64(0);

            Assert.True(fields.Failed);
            Assert.Equal("quantity", fields.ErrorColumn);
            Assert.Equal($"'{text}' is not an integer", fields.ErrorReason);
        }
    }

    [Fact]
    public void Int64_Empty_IsRejectedAsMissing()
    {
        var (reader, fields) = Single("quantity", "");
        using (reader)
        {
            fields.Int64(0);

            Assert.Equal("quantity", fields.ErrorColumn);
            Assert.Equal("required number is missing", fields.ErrorReason);
        }
    }

    [Fact]
    public void Int32_OutsideRange_IsRejectedWithTheRange()
    {
        var (reader, fields) = Single("age", "130");
        using (reader)
        {
            Assert.Equal(130, fields.Int32(0, 0, 120));
            Assert.Equal("age", fields.ErrorColumn);
            Assert.Equal("130 is outside [0, 120]", fields.ErrorReason);
        }
    }

    [Theory]
    [InlineData("NaN")]
    [InlineData("nan")]
    [InlineData("Infinity")]
    [InlineData("-Infinity")]
    [InlineData("1e400")]
    [InlineData("-1e400")]
    [InlineData("1.2.3")]
    [InlineData("x")]
    public void Double_NonFiniteOrText_IsRejected(string text)
    {
        var (reader, fields) = Single("price", text);
        using (reader)
        {
            Assert.Equal(0, fields.Double(0));
            Assert.Equal("price", fields.ErrorColumn);
            Assert.Equal($"'{text}' is not a finite number", fields.ErrorReason);
        }
    }

    [Theory]
    [InlineData("2.5", 2.5)]
    [InlineData("-0.125", -0.125)]
    [InlineData("1e-3", 0.001)]
    [InlineData("1.7976931348623157e308", double.MaxValue)]
    public void Double_FiniteNumber_IsAccepted(string text, double expected)
    {
        var (reader, fields) = Single("price", text);
        using (reader)
        {
            Assert.Equal(expected, fields.Double(0));
            Assert.False(fields.Failed);
        }
    }

    [Fact]
    public void Double_OutsideRange_IsRejectedWithTheRange()
    {
        var (reader, fields) = Single("share", "1.5");
        using (reader)
        {
            fields.Double(0, 0, 1);

            Assert.Equal("share", fields.ErrorColumn);
            Assert.Equal("1.5 is outside [0, 1]", fields.ErrorReason);
        }
    }

    [Theory]
    [InlineData("12.34", "12.34")]
    [InlineData("-0.5", "-0.5")]
    [InlineData("1000000000", "1000000000")]
    [InlineData("1.5e2", "150")]
    public void Decimal_Amount_IsAcceptedExactly(string text, string expected)
    {
        var (reader, fields) = Single("amount", text);
        using (reader)
        {
            Assert.Equal(decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), fields.Decimal(0));
            Assert.False(fields.Failed);
        }
    }

    [Fact]
    public void Decimal_FortyDigitNumber_IsRejectedAsNotADecimal()
    {
        var digits = "1234567890123456789012345678901234567890";
        var (reader, fields) = Single("amount", digits);
        using (reader)
        {
            Assert.Equal(0m, fields.Decimal(0));
            Assert.Equal("amount", fields.ErrorColumn);
            Assert.Equal($"'{digits}' is not a decimal amount", fields.ErrorReason);
        }
    }

    [Theory]
    [InlineData("1000000000.01", "1000000000.01 is outside [-1000000000, 1000000000]")]
    [InlineData("-2000000000", "-2000000000 is outside [-1000000000, 1000000000]")]
    public void Decimal_BeyondMaxAbs_IsRejectedWithTheRange(string text, string reason)
    {
        var (reader, fields) = Single("amount", text);
        using (reader)
        {
            fields.Decimal(0);

            Assert.Equal("amount", fields.ErrorColumn);
            Assert.Equal(reason, fields.ErrorReason);
        }
    }

    [Fact]
    public void Decimal_NegativeWhenNotAllowed_IsRejected()
    {
        var (reader, fields) = Single("amount", "-1.25");
        using (reader)
        {
            fields.Decimal(0, 100m, allowNegative: false);

            Assert.Equal("-1.25 is outside [0, 100]", fields.ErrorReason);
        }
    }

    [Theory]
    [InlineData("TRUE", true)]
    [InlineData("true", true)]
    [InlineData("True", true)]
    [InlineData("1", true)]
    [InlineData("yes", true)]
    [InlineData("Y", true)]
    [InlineData("FALSE", false)]
    [InlineData("false", false)]
    [InlineData("0", false)]
    [InlineData("no", false)]
    [InlineData("N", false)]
    public void Bool_KnownSpellings_AreAccepted(string text, bool expected)
    {
        var (reader, fields) = Single("flag", text);
        using (reader)
        {
            Assert.Equal(expected, fields.Bool(0));
            Assert.False(fields.Failed);
        }
    }

    [Theory]
    [InlineData("maybe")]
    [InlineData("2")]
    [InlineData("yess")]
    public void Bool_OtherText_IsRejected(string text)
    {
        var (reader, fields) = Single("flag", text);
        using (reader)
        {
            Assert.False(fields.Bool(0));
            Assert.Equal("flag", fields.ErrorColumn);
            Assert.Equal($"'{text}' is not a true/false flag", fields.ErrorReason);
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("NA")]
    [InlineData("NULL")]
    [InlineData("null")]
    public void Text_EmptyOrNullToken_IsNull(string text)
    {
        var (reader, fields) = Single("name", text);
        using (reader)
        {
            Assert.Null(fields.Text(0));
            Assert.False(fields.Failed);
            Assert.Null(fields.BoolOrNull(0));
            Assert.Null(fields.Int64OrNull(0));
            Assert.Null(fields.DecimalOrNull(0));
            Assert.Null(fields.DoubleOrNull(0));
            Assert.Null(fields.TimestampOrNull(0));
            Assert.False(fields.Failed);
        }
    }

    [Fact]
    public void Text_MissingRequiredValue_IsRejected()
    {
        var (reader, fields) = Single("name", "NA");
        using (reader)
        {
            Assert.Null(fields.Text(0, required: true));
            Assert.Equal("name", fields.ErrorColumn);
            Assert.Equal("required value is missing", fields.ErrorReason);
        }
    }

    [Fact]
    public void Text_Value_IsDecodedAndTrimmed()
    {
        var (reader, fields) = Single("name", "\"  Zoë, \"\"the\"\" 日本  \"");
        using (reader)
        {
            Assert.Equal("Zoë, \"the\" 日本", fields.Text(0, required: true));
            Assert.False(fields.Failed);
        }
    }

    [Fact]
    public void Text_Latin1File_IsDecodedAsLatin1()
    {
        using var reader = CsvReader.FromStream(new MemoryStream([.. "city\nM"u8, 0xE1, .. "laga\n"u8]), "latin1.csv", new CsvOptions { Latin1 = true });
        Assert.True(reader.Read());

        Assert.Equal("Málaga", new FieldReader(reader).Text(0));
    }

    [Fact]
    public void Timestamp_BadDate_IsRejectedWithTheExpectedFormat()
    {
        var (reader, fields) = Single("invoice_date", "12/01/2010 08:26");
        using (reader)
        {
            fields.Timestamp(0);
            Assert.Equal("invoice_date", fields.ErrorColumn);
            Assert.Equal("'12/01/2010 08:26' is not a date (expected yyyy-MM-dd[ HH:mm:ss])", fields.ErrorReason);

            fields.Reset();
            Assert.Equal(new DateTime(2010, 1, 12, 8, 26, 0), fields.Timestamp(0, ["yyyy-MM-dd", "dd/MM/yyyy HH:mm"]));
            Assert.False(fields.Failed);
        }
    }

    [Fact]
    public void Reject_AfterAnEarlierFailure_KeepsTheFirstColumnAndReason()
    {
        using var reader = CsvReader.FromStream(new MemoryStream("id,price,flag,when\n3.5,NaN,maybe,2021-02-29\n"u8.ToArray()), "rows.csv");
        Assert.True(reader.Read());
        var fields = new FieldReader(reader);

        fields.Int64(fields.Column("id"));
        fields.Double(fields.Column("price"));
        fields.Bool(fields.Column("flag"));
        fields.Timestamp(fields.Column("when"));
        fields.Reject(fields.Column("price"), "custom check");

        Assert.Equal("id", fields.ErrorColumn);
        Assert.Equal("'3.5' is not an integer", fields.ErrorReason);

        fields.Reset();
        Assert.False(fields.Failed);
        Assert.Null(fields.ErrorColumn);
        fields.Bool(fields.Column("FLAG"));
        fields.Double(fields.Column("price"));
        Assert.Equal("flag", fields.ErrorColumn);
    }

    [Fact]
    public void Reject_AfterEarlierValidFields_RecordsTheFirstFailingColumn()
    {
        using var reader = CsvReader.FromStream(new MemoryStream("id,price,qty\n7,abc,x\n"u8.ToArray()), "rows.csv");
        Assert.True(reader.Read());
        var fields = new FieldReader(reader);

        Assert.Equal(7, fields.Int64(0));
        fields.Decimal(1);
        fields.Int32(2);

        Assert.Equal("price", fields.ErrorColumn);
        Assert.Equal("'abc' is not a decimal amount", fields.ErrorReason);
    }

    [Fact]
    public void Column_MissingName_ThrowsNamingFileAndColumns()
    {
        var (reader, fields) = Single("name", "x");
        using (reader)
        {
            var error = Assert.Throws<InvalidDataException>(() => fields.Column("price"));
            Assert.Equal("one.csv: line 1: required column 'price' is missing (columns: name).", error.Message);
            Assert.Equal(-1, fields.OptionalColumn("price"));
            Assert.Equal(0, fields.OptionalColumn("NAME"));
        }
    }

    [Fact]
    public void Reason_LongValue_IsShortenedToFortyCharacters()
    {
        var text = new string('9', 30) + new string('x', 30);
        var (reader, fields) = Single("n", text);
        using (reader)
        {
            fields.Int64(0);
            Assert.Equal($"'{text[..40]}…' is not an integer", fields.ErrorReason);
        }
    }

    /// <summary>A reader positioned on the only record of a one-column file, and a field reader over it.</summary>
    private static (CsvReader Reader, FieldReader Fields) Single(string column, string value)
    {
        var field = value.Length == 0 ? "\"\"" : value;
        var reader = CsvReader.FromStream(new MemoryStream(Encoding.UTF8.GetBytes($"{column}\n{field}\n")), "one.csv");
        Assert.True(reader.Read());
        Assert.Equal(RecordError.None, reader.Error);
        return (reader, new FieldReader(reader));
    }
}
