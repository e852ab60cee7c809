using System.Buffers.Binary;
using System.Text;
using SkiaSharp;

namespace Portfolio.Tests.Media;

/// <summary>Images drawn for a test with SkiaSharp, and files built around them byte by byte.</summary>
public static class GeneratedImages
{
    /// <summary>The text in <see cref="JpegWithGps"/>'s EXIF description; it must not survive an upload.</summary>
    public const string SecretDescription = "Home of the photographer 52.3676N 4.9041E";

    public static readonly SKColor[] StripeColours = [SKColors.Red, SKColors.Lime, SKColors.Blue, SKColors.Yellow];

    /// <summary>Vertical stripes of equal width in <see cref="StripeColours"/>, left to right.</summary>
    public static byte[] Stripes(int width, int height, SKEncodedImageFormat format = SKEncodedImageFormat.Png)
    {
        using var bitmap = new SKBitmap(width, height, SKColorType.Rgba8888, SKAlphaType.Opaque);
        using (var canvas = new SKCanvas(bitmap))
        {
            var stripe = width / (float)StripeColours.Length;
            for (var i = 0; i < StripeColours.Length; i++)
            {
                using var paint = new SKPaint { Color = StripeColours[i] };
                canvas.DrawRect(i * stripe, 0, stripe, height, paint);
            }
        }

        using var image = SKImage.FromBitmap(bitmap);
        using var data = image.Encode(format, 90);
        return data.ToArray();
    }

    /// <summary>A JPEG with an EXIF block (APP1) right after its start: a description and a GPS position.</summary>
    public static byte[] JpegWithGps()
    {
        var jpeg = Stripes(64, 48, SKEncodedImageFormat.Jpeg);
        var description = Encoding.ASCII.GetBytes(SecretDescription + "\0");
        var tiff = new byte[92 + description.Length];
        "MM"u8.CopyTo(tiff);
        BinaryPrimitives.WriteUInt16BigEndian(tiff.AsSpan(2), 42);
        BinaryPrimitives.WriteUInt32BigEndian(tiff.AsSpan(4), 8);
        // IFD0 at 8: ImageDescription (ASCII, at 92) and the GPS IFD's offset (38).
        BinaryPrimitives.WriteUInt16BigEndian(tiff.AsSpan(8), 2);
        Entry(tiff, 10, 0x010E, 2, (uint)description.Length, 92);
        Entry(tiff, 22, 0x8825, 4, 1, 38);
        // GPS IFD at 38: latitude ref "N" (inline) and latitude 52° 22' 3" (three rationals at 68).
        BinaryPrimitives.WriteUInt16BigEndian(tiff.AsSpan(38), 2);
        Entry(tiff, 40, 0x0001, 2, 2, 0x4E000000);
        Entry(tiff, 52, 0x0002, 5, 3, 68);
        uint[] rationals = [52, 1, 22, 1, 3, 1];
        for (var i = 0; i < rationals.Length; i++)
        {
            BinaryPrimitives.WriteUInt32BigEndian(tiff.AsSpan(68 + (4 * i)), rationals[i]);
        }

        description.CopyTo(tiff, 92);
        byte[] exif = [.. "Exif\0\0"u8, .. tiff];
        var length = exif.Length + 2;
        byte[] app1 = [0xFF, 0xE1, (byte)(length >> 8), (byte)length, .. exif];
        return [.. jpeg[..2], .. app1, .. jpeg[2..]];

        static void Entry(byte[] buffer, int at, ushort tag, ushort type, uint count, uint value)
        {
            BinaryPrimitives.WriteUInt16BigEndian(buffer.AsSpan(at), tag);
            BinaryPrimitives.WriteUInt16BigEndian(buffer.AsSpan(at + 2), type);
            BinaryPrimitives.WriteUInt32BigEndian(buffer.AsSpan(at + 4), count);
            BinaryPrimitives.WriteUInt32BigEndian(buffer.AsSpan(at + 8), value);
        }
    }

    /// <summary>Whether a JPEG has an APP1 (EXIF or XMP) segment among its headers.</summary>
    public static bool HasApp1(byte[] jpeg)
    {
        var position = 2;
        while (position + 4 <= jpeg.Length && jpeg[position] == 0xFF)
        {
            var marker = jpeg[position + 1];
            if (marker == 0xE1)
            {
                return true;
            }

            if (marker == 0xDA)
            {
                return false; // the scan begins: no more headers
            }

            position += 2 + BinaryPrimitives.ReadUInt16BigEndian(jpeg.AsSpan(position + 2));
        }

        return false;
    }

    /// <summary>A PNG whose header claims <paramref name="width"/>×<paramref name="height"/> pixels (with a valid CRC) over a few bytes of data.</summary>
    public static byte[] PngClaiming(int width, int height)
    {
        var png = TestImages.Png.ToArray();
        BinaryPrimitives.WriteInt32BigEndian(png.AsSpan(16), width);
        BinaryPrimitives.WriteInt32BigEndian(png.AsSpan(20), height);
        BinaryPrimitives.WriteUInt32BigEndian(png.AsSpan(29), Crc32(png.AsSpan(12, 17)));
        return png;
    }

    public static SKColor PixelAt(byte[] image, float xFraction, float yFraction)
    {
        using var bitmap = SKBitmap.Decode(image);
        return bitmap.GetPixel((int)(xFraction * (bitmap.Width - 1)), (int)(yFraction * (bitmap.Height - 1)));
    }

    public static (int Width, int Height) SizeOf(byte[] image)
    {
        using var codec = SKCodec.Create(SKData.CreateCopy(image));
        return (codec.Info.Width, codec.Info.Height);
    }

    /// <summary>Whether two colours are the same to within lossy compression's error.</summary>
    public static bool Near(SKColor actual, SKColor expected) =>
        Math.Abs(actual.Red - expected.Red) < 40 && Math.Abs(actual.Green - expected.Green) < 40 && Math.Abs(actual.Blue - expected.Blue) < 40;

    private static uint Crc32(ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
            }
        }

        return ~crc;
    }
}
