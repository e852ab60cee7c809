using System.Buffers.Binary;
using System.Text;

namespace Portfolio.Web.Media;

/// <summary>One of the four image formats the library accepts.</summary>
public sealed record ImageFormat(string ContentType, string Extension, string Name)
{
    public static ImageFormat Jpeg { get; } = new("image/jpeg", ".jpg", "JPEG");
    public static ImageFormat Png { get; } = new("image/png", ".png", "PNG");
    public static ImageFormat WebP { get; } = new("image/webp", ".webp", "WebP");
    public static ImageFormat Gif { get; } = new("image/gif", ".gif", "GIF");

    public static IReadOnlyList<ImageFormat> All { get; } = [Jpeg, Png, WebP, Gif];
}

/// <summary>What <see cref="ImageFormats.Inspect"/> found: a format and its size in pixels, or why the file is refused.</summary>
public sealed record ImageInspection(ImageFormat? Format, int Width, int Height, string? Problem)
{
    public bool IsAccepted => Format is not null;

    internal static ImageInspection Refused(string problem) => new(null, 0, 0, problem);
}

/// <summary>
/// Decides what an uploaded file is from its bytes alone (never its name or the browser's Content-Type), and
/// walks the format's structure from the signature to the end marker. That refuses SVG, HTML and everything
/// else, truncated files, and the usual polyglots: data hidden after an image's end, or markup near the start
/// where a content-sniffing browser would look. The pixels themselves are not decoded (no image library is
/// available here); the browser decodes them, under <c>nosniff</c> and the stored image content type.
/// </summary>
public static class ImageFormats
{
    public const string NotAnImage = "This is not a JPEG, PNG, WebP or GIF image. Other files, SVG included, are not accepted.";
    private const string Markup = "The file contains HTML or script markup, which the library does not accept.";
    private const int MaxDimension = 30_000;

    private static readonly byte[] PngSignature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    // What browsers that sniff (and old ones that ignore nosniff) look for in the first bytes; see the WHATWG MIME Sniffing standard.
    private static readonly string[] MarkupSignatures =
        ["<!doctype", "<html", "<head", "<script", "<body", "<iframe", "<svg", "<object", "<embed", "<style", "<title", "<a ", "<img", "<div", "<p>", "<br", "<table", "<font", "<b>", "<h1", "<!--"];

    public static ImageInspection Inspect(ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty)
        {
            return ImageInspection.Refused("The file is empty.");
        }

        var result = data switch
        {
            [0xFF, 0xD8, 0xFF, ..] => InspectJpeg(data),
            _ when data.StartsWith(PngSignature) => InspectPng(data),
            [(byte)'G', (byte)'I', (byte)'F', (byte)'8', (byte)'7' or (byte)'9', (byte)'a', ..] => InspectGif(data),
            [(byte)'R', (byte)'I', (byte)'F', (byte)'F', _, _, _, _, (byte)'W', (byte)'E', (byte)'B', (byte)'P', ..] => InspectWebP(data),
            _ => ImageInspection.Refused(NotAnImage),
        };

        if (result.IsAccepted && ContainsMarkup(data[..Math.Min(data.Length, 1024)]))
        {
            return ImageInspection.Refused(Markup);
        }

        if (result.IsAccepted && (result.Width is < 1 or > MaxDimension || result.Height is < 1 or > MaxDimension))
        {
            return ImageInspection.Refused($"The image's size ({result.Width} × {result.Height} pixels) is not usable.");
        }

        return result;
    }

    private static bool ContainsMarkup(ReadOnlySpan<byte> head)
    {
        var text = Encoding.Latin1.GetString(head);
        return MarkupSignatures.Any(signature => text.Contains(signature, StringComparison.OrdinalIgnoreCase));
    }

    private static ImageInspection Accepted(ImageFormat format, int width, int height) => new(format, width, height, null);

    private static ImageInspection DamagedImage(ImageFormat format) =>
        ImageInspection.Refused($"The {format.Name} image is damaged or incomplete; export it again and upload the new file.");

    private static ImageInspection WithTrailingData(ImageFormat format) =>
        ImageInspection.Refused($"The {format.Name} image has extra data after its end, which the library does not accept. Export it again as a plain {format.Name}.");

    /// <summary>Signature, IHDR first, then chunk by chunk to IEND, which must end the file.</summary>
    private static ImageInspection InspectPng(ReadOnlySpan<byte> data)
    {
        var format = ImageFormat.Png;
        var position = PngSignature.Length;
        int width = 0, height = 0;
        var first = true;
        var sawImageData = false;
        while (true)
        {
            if (data.Length - position < 12)
            {
                return DamagedImage(format);
            }

            var length = BinaryPrimitives.ReadUInt32BigEndian(data[position..]);
            var type = data.Slice(position + 4, 4);
            if (length > int.MaxValue || (long)length + 12 > data.Length - position || !IsAsciiLetters(type))
            {
                return DamagedImage(format);
            }

            var chunk = data.Slice(position + 8, (int)length);
            if (first)
            {
                if (!type.SequenceEqual("IHDR"u8) || length != 13)
                {
                    return DamagedImage(format);
                }

                width = (int)Math.Min(BinaryPrimitives.ReadUInt32BigEndian(chunk), int.MaxValue);
                height = (int)Math.Min(BinaryPrimitives.ReadUInt32BigEndian(chunk[4..]), int.MaxValue);
                first = false;
            }

            sawImageData |= type.SequenceEqual("IDAT"u8);
            position += 12 + (int)length;
            if (type.SequenceEqual("IEND"u8))
            {
                if (!sawImageData)
                {
                    return DamagedImage(format);
                }

                return position == data.Length ? Accepted(format, width, height) : WithTrailingData(format);
            }
        }
    }

    /// <summary>Header and logical screen, then block by block (extensions, images) to the trailer, which must end the file.</summary>
    private static ImageInspection InspectGif(ReadOnlySpan<byte> data)
    {
        var format = ImageFormat.Gif;
        if (data.Length < 13)
        {
            return DamagedImage(format);
        }

        var width = BinaryPrimitives.ReadUInt16LittleEndian(data[6..]);
        var height = BinaryPrimitives.ReadUInt16LittleEndian(data[8..]);
        var position = 13 + ColorTableSize(data[10]);
        var images = 0;
        while (position < data.Length)
        {
            switch (data[position])
            {
                case 0x3B:
                    if (images == 0)
                    {
                        return DamagedImage(format);
                    }

                    return position + 1 == data.Length ? Accepted(format, width, height) : WithTrailingData(format);
                case 0x21:
                    // Extension: introducer, label, then data sub-blocks.
                    position = SkipSubBlocks(data, position + 2);
                    break;
                case 0x2C:
                    // Image descriptor (10 bytes), optional local colour table, LZW code size, data sub-blocks.
                    if (data.Length - position < 11)
                    {
                        return DamagedImage(format);
                    }

                    position += 10 + ColorTableSize(data[position + 9]) + 1;
                    position = SkipSubBlocks(data, position);
                    images++;
                    break;
                default:
                    return DamagedImage(format);
            }

            if (position < 0)
            {
                return DamagedImage(format);
            }
        }

        return DamagedImage(format);

        static int ColorTableSize(byte packed) => (packed & 0x80) != 0 ? 3 * (1 << ((packed & 0x07) + 1)) : 0;
    }

    /// <returns>The position after the terminating empty sub-block, or -1 when the data ends first.</returns>
    private static int SkipSubBlocks(ReadOnlySpan<byte> data, int position)
    {
        while (position < data.Length)
        {
            var size = data[position];
            position += 1 + size;
            if (size == 0)
            {
                return position;
            }
        }

        return -1;
    }

    /// <summary>SOI, marker segments (the frame header gives the size), entropy-coded scans, and EOI at the end.</summary>
    private static ImageInspection InspectJpeg(ReadOnlySpan<byte> data)
    {
        var format = ImageFormat.Jpeg;
        var position = 2;
        int width = 0, height = 0;
        while (true)
        {
            if (position >= data.Length || data[position] != 0xFF)
            {
                return DamagedImage(format);
            }

            // Any number of 0xFF fill bytes may precede a marker.
            while (position < data.Length && data[position] == 0xFF)
            {
                position++;
            }

            if (position >= data.Length)
            {
                return DamagedImage(format);
            }

            var marker = data[position++];
            if (marker == 0xD9)
            {
                if (width == 0)
                {
                    return DamagedImage(format);
                }

                return position == data.Length ? Accepted(format, width, height) : WithTrailingData(format);
            }

            if (marker is 0x01 or (>= 0xD0 and <= 0xD7))
            {
                continue; // stand-alone markers: no length
            }

            if (marker is 0x00 or 0xD8 || data.Length - position < 2)
            {
                return DamagedImage(format);
            }

            var length = BinaryPrimitives.ReadUInt16BigEndian(data[position..]);
            if (length < 2 || length > data.Length - position)
            {
                return DamagedImage(format);
            }

            var segment = data.Slice(position + 2, length - 2);
            position += length;
            if (marker is (>= 0xC0 and <= 0xCF) and not 0xC4 and not 0xC8 and not 0xCC)
            {
                if (segment.Length < 5)
                {
                    return DamagedImage(format);
                }

                height = BinaryPrimitives.ReadUInt16BigEndian(segment[1..]);
                width = BinaryPrimitives.ReadUInt16BigEndian(segment[3..]);
            }
            else if (marker == 0xDA)
            {
                if (width == 0)
                {
                    return DamagedImage(format);
                }

                // Entropy-coded data runs to the next marker that is neither a stuffed 0xFF00 nor a restart marker.
                while (true)
                {
                    var next = data[position..].IndexOf((byte)0xFF);
                    if (next < 0 || position + next + 1 >= data.Length)
                    {
                        return DamagedImage(format);
                    }

                    position += next;
                    var following = data[position + 1];
                    if (following is 0x00 or (>= 0xD0 and <= 0xD7))
                    {
                        position += 2;
                        continue;
                    }

                    if (following == 0xFF)
                    {
                        position += 1;
                        continue;
                    }

                    break;
                }
            }
        }
    }

    /// <summary>The RIFF container must span the file exactly; its chunks must tile it; the first names the image's size.</summary>
    private static ImageInspection InspectWebP(ReadOnlySpan<byte> data)
    {
        var format = ImageFormat.WebP;
        var riffSize = BinaryPrimitives.ReadUInt32LittleEndian(data[4..]);
        if ((long)riffSize + 8 < data.Length)
        {
            return WithTrailingData(format);
        }

        if ((long)riffSize + 8 != data.Length || data.Length < 20)
        {
            return DamagedImage(format);
        }

        var position = 12;
        int width = 0, height = 0;
        var first = true;
        while (position < data.Length)
        {
            if (data.Length - position < 8)
            {
                return DamagedImage(format);
            }

            var type = data.Slice(position, 4);
            var size = BinaryPrimitives.ReadUInt32LittleEndian(data[(position + 4)..]);
            var padded = (long)size + (size & 1);
            if (padded > data.Length - position - 8)
            {
                return DamagedImage(format);
            }

            var chunk = data.Slice(position + 8, (int)size);
            if (first)
            {
                var size2 = ReadFirstChunkSize(type, chunk);
                if (size2 is null)
                {
                    return DamagedImage(format);
                }

                (width, height) = size2.Value;
                first = false;
            }

            position += 8 + (int)padded;
        }

        return first ? DamagedImage(format) : Accepted(format, width, height);
    }

    private static (int Width, int Height)? ReadFirstChunkSize(ReadOnlySpan<byte> type, ReadOnlySpan<byte> chunk)
    {
        if (type.SequenceEqual("VP8 "u8))
        {
            // Frame tag (3 bytes), start code 9D 01 2A, then 14-bit width and height.
            if (chunk.Length < 10 || chunk[3] != 0x9D || chunk[4] != 0x01 || chunk[5] != 0x2A)
            {
                return null;
            }

            return (BinaryPrimitives.ReadUInt16LittleEndian(chunk[6..]) & 0x3FFF, BinaryPrimitives.ReadUInt16LittleEndian(chunk[8..]) & 0x3FFF);
        }

        if (type.SequenceEqual("VP8L"u8))
        {
            // Signature 0x2F, then width-1 and height-1 in 14 bits each.
            if (chunk.Length < 5 || chunk[0] != 0x2F)
            {
                return null;
            }

            var bits = BinaryPrimitives.ReadUInt32LittleEndian(chunk[1..]);
            return ((int)(bits & 0x3FFF) + 1, (int)((bits >> 14) & 0x3FFF) + 1);
        }

        if (type.SequenceEqual("VP8X"u8))
        {
            // Flags (4 bytes), then canvas width-1 and height-1 in 24 bits each.
            if (chunk.Length < 10)
            {
                return null;
            }

            return (ReadUInt24(chunk[4..]) + 1, ReadUInt24(chunk[7..]) + 1);
        }

        return null;

        static int ReadUInt24(ReadOnlySpan<byte> bytes) => bytes[0] | (bytes[1] << 8) | (bytes[2] << 16);
    }

    private static bool IsAsciiLetters(ReadOnlySpan<byte> bytes)
    {
        foreach (var b in bytes)
        {
            if (b is not ((>= (byte)'A' and <= (byte)'Z') or (>= (byte)'a' and <= (byte)'z')))
            {
                return false;
            }
        }

        return true;
    }
}
