namespace Matryoshka.Data.Emoji;

/// <summary>
/// A read-only pass-through stream that refuses to deliver more than <c>limit</c> bytes in all, so a small gzip file
/// cannot expand into an unbounded amount of data (a decompression bomb).
/// </summary>
internal sealed class BoundedReadStream(Stream inner, long limit, Func<Exception> overLimit) : Stream
{
    private long _delivered;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => _delivered;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        int read = inner.Read(buffer);
        _delivered += read;
        if (_delivered > limit)
            throw overLimit();
        return read;
    }

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing) inner.Dispose();
        base.Dispose(disposing);
    }
}
