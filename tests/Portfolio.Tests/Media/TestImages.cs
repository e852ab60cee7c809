using System.Text;

namespace Portfolio.Tests.Media;

/// <summary>
/// Tiny real images (2×2 red squares encoded by Chromium's canvas, and the classic 1×1 GIF), and files that
/// pretend to be images. Real encoders' output, so browsers decode them too.
/// </summary>
public static class TestImages
{
    public static byte[] Jpeg { get; } = Convert.FromBase64String("/9j/4AAQSkZJRgABAQAAAQABAAD/4gHYSUNDX1BST0ZJTEUAAQEAAAHIAAAAAAQwAABtbnRyUkdCIFhZWiAH4AABAAEAAAAAAABhY3NwAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAQAA9tYAAQAAAADTLQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAlkZXNjAAAA8AAAACRyWFlaAAABFAAAABRnWFlaAAABKAAAABRiWFlaAAABPAAAABR3dHB0AAABUAAAABRyVFJDAAABZAAAAChnVFJDAAABZAAAAChiVFJDAAABZAAAAChjcHJ0AAABjAAAADxtbHVjAAAAAAAAAAEAAAAMZW5VUwAAAAgAAAAcAHMAUgBHAEJYWVogAAAAAAAAb6IAADj1AAADkFhZWiAAAAAAAABimQAAt4UAABjaWFlaIAAAAAAAACSgAAAPhAAAts9YWVogAAAAAAAA9tYAAQAAAADTLXBhcmEAAAAAAAQAAAACZmYAAPKnAAANWQAAE9AAAApbAAAAAAAAAABtbHVjAAAAAAAAAAEAAAAMZW5VUwAAACAAAAAcAEcAbwBvAGcAbABlACAASQBuAGMALgAgADIAMAAxADb/2wBDAAYEBQYFBAYGBQYHBwYIChAKCgkJChQODwwQFxQYGBcUFhYaHSUfGhsjHBYWICwgIyYnKSopGR8tMC0oMCUoKSj/2wBDAQcHBwoIChMKChMoGhYaKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCj/wAARCAACAAIDASIAAhEBAxEB/8QAFQABAQAAAAAAAAAAAAAAAAAAAAb/xAAUEAEAAAAAAAAAAAAAAAAAAAAA/8QAFQEBAQAAAAAAAAAAAAAAAAAABgf/xAAUEQEAAAAAAAAAAAAAAAAAAAAA/9oADAMBAAIRAxEAPwCUAHVPf//Z");

    public static byte[] WebP { get; } = Convert.FromBase64String("UklGRhwCAABXRUJQVlA4WAoAAAAgAAAAAQAAAQAASUNDUMgBAAAAAAHIAAAAAAQwAABtbnRyUkdCIFhZWiAH4AABAAEAAAAAAABhY3NwAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAQAA9tYAAQAAAADTLQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAlkZXNjAAAA8AAAACRyWFlaAAABFAAAABRnWFlaAAABKAAAABRiWFlaAAABPAAAABR3dHB0AAABUAAAABRyVFJDAAABZAAAAChnVFJDAAABZAAAAChiVFJDAAABZAAAAChjcHJ0AAABjAAAADxtbHVjAAAAAAAAAAEAAAAMZW5VUwAAAAgAAAAcAHMAUgBHAEJYWVogAAAAAAAAb6IAADj1AAADkFhZWiAAAAAAAABimQAAt4UAABjaWFlaIAAAAAAAACSgAAAPhAAAts9YWVogAAAAAAAA9tYAAQAAAADTLXBhcmEAAAAAAAQAAAACZmYAAPKnAAANWQAAE9AAAApbAAAAAAAAAABtbHVjAAAAAAAAAAEAAAAMZW5VUwAAACAAAAAcAEcAbwBvAGcAbABlACAASQBuAGMALgAgADIAMAAxADZWUDggLgAAAPABAJ0BKgIAAgABQCYloAJ0ugH4AARMAAD+71Ev++9Abyf/9pZ+lY+lY/hUAAA=");

    public static byte[] Png { get; } = Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAYAAABytg0kAAAAEklEQVR4AWI6YKn9H4SZGKAAAAAA//+hBN/cAAAABklEQVQDADlKBEvDLolPAAAAAElFTkSuQmCC");

    public static byte[] Gif { get; } = Convert.FromBase64String("R0lGODlhAQABAIAAAP///wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==");

    public static byte[] Svg { get; } = Encoding.UTF8.GetBytes(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"><script>alert(document.cookie)</script><rect width=\"10\" height=\"10\"/></svg>");

    public static byte[] Html { get; } = Encoding.UTF8.GetBytes("<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>");

    /// <summary>A PNG with an HTML page after its end: a polyglot.</summary>
    public static byte[] PngWithHtmlAppended { get; } = [.. Png, .. Html];

    /// <summary>A GIF whose comment block, right after the header, holds a script.</summary>
    public static byte[] GifWithScriptComment { get; } =
    [
        .. Gif[..19], // header, logical screen, global colour table (2 colours)
        0x21, 0xFE, 26, .. Encoding.ASCII.GetBytes("<script>alert(1)</script>x"), 0x00,
        .. Gif[19..],
    ];

    /// <summary>The first half of a PNG.</summary>
    public static byte[] TruncatedPng { get; } = Png[..(Png.Length / 2)];

    /// <summary>A JPEG without its end: the last two bytes (FF D9) cut off.</summary>
    public static byte[] TruncatedJpeg { get; } = Jpeg[..^2];

    /// <summary>A real image of the given size: a PNG padded with an ancillary chunk the decoder skips.</summary>
    public static byte[] PngOfSize(int size)
    {
        // Chunk: length, "teXt"-like private ancillary type "prVt", data, CRC (not checked by the library).
        var padding = size - Png.Length - 12;
        ArgumentOutOfRangeException.ThrowIfNegative(padding);
        var iend = Png.Length - 12;
        var chunk = new byte[12 + padding];
        chunk[0] = (byte)(padding >> 24);
        chunk[1] = (byte)(padding >> 16);
        chunk[2] = (byte)(padding >> 8);
        chunk[3] = (byte)padding;
        "prVt"u8.CopyTo(chunk.AsSpan(4));
        return [.. Png[..iend], .. chunk, .. Png[iend..]];
    }
}
