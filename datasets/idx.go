package datasets

import (
	"bufio"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
)

// IDX magic numbers: two zero bytes, the element type (0x08 = uint8) and the
// number of dimensions.
const (
	imageMagic = 0x00000803
	labelMagic = 0x00000801
)

// maxImageDim bounds Rows*Cols so that sizes computed from a header cannot
// overflow.
const maxImageDim = 1 << 24

// maxDeflateRatio is the largest expansion factor of DEFLATE data; it bounds
// the size of the decompressed payload that a gzip file of a given size can
// hold.
const maxDeflateRatio = 1032

// idxFile is an open IDX file, gzipped or plain, positioned after whatever
// has been read of it so far.
type idxFile struct {
	path string
	f    *source   // the file, hashed as it is read
	size int64     // size of the file on disk
	gz   bool      // whether the file is gzip-compressed
	src  errReader // the decompressed byte stream
	read int64     // bytes of src consumed
}

// errReader remembers the first error other than io.EOF returned by r, so
// that a corrupt or truncated gzip stream can be told apart from a valid
// stream that ends too early.
type errReader struct {
	r   io.Reader
	err error
}

func (e *errReader) Read(p []byte) (int, error) {
	n, err := e.r.Read(p)
	if err != nil && err != io.EOF && e.err == nil {
		e.err = err
	}
	return n, err
}

// openIDX opens dir/base.gz, or dir/base if the former does not exist. The
// content is sniffed for the gzip magic bytes, whatever the name.
func openIDX(dir, base string) (*idxFile, error) {
	gzPath := filepath.Join(dir, base+".gz")
	path := gzPath
	info, err := os.Stat(gzPath)
	if errors.Is(err, fs.ErrNotExist) {
		path = filepath.Join(dir, base)
		info, err = os.Stat(path)
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("reading %s: missing file (nor found without .gz): %w", gzPath, fs.ErrNotExist)
		}
	}
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", path, err)
	}
	if info.IsDir() {
		return nil, fmt.Errorf("reading %s: is a directory, not an IDX file", path)
	}
	if !info.Mode().IsRegular() {
		// A FIFO or a device would block or never end.
		return nil, fmt.Errorf("reading %s: not a regular file", path)
	}
	f, err := openData(path)
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", path, err)
	}
	x := &idxFile{path: path, f: newSource(path, f)}
	if err := x.init(); err != nil {
		x.Close()
		return nil, err
	}
	return x, nil
}

func (x *idxFile) init() error {
	fi, err := x.f.Stat()
	if err != nil {
		return fmt.Errorf("reading %s: %w", x.path, err)
	}
	if fi.IsDir() {
		return fmt.Errorf("reading %s: is a directory, not an IDX file", x.path)
	}
	x.size = fi.Size()
	if x.size == 0 {
		return fmt.Errorf("reading %s: empty file (zero length)", x.path)
	}
	br := bufio.NewReaderSize(x.f, 1<<16)
	magic, err := br.Peek(2)
	if err == nil && magic[0] == 0x1f && magic[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return fmt.Errorf("reading %s: truncated or corrupt gzip header: %w", x.path, err)
		}
		x.gz = true
		x.src.r = zr
		return nil
	}
	x.src.r = br
	return nil
}

func (x *idxFile) Close() error { return x.f.Close() }

// readFull fills p from the decompressed stream. what names the part being
// read, for error messages.
func (x *idxFile) readFull(p []byte, what string) error {
	n, err := io.ReadFull(&x.src, p)
	x.read += int64(n)
	if err == nil {
		return nil
	}
	if x.src.err != nil {
		return x.streamErr()
	}
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return fmt.Errorf("reading %s: truncated %s: file ends after %d bytes", x.path, what, x.read)
	}
	return fmt.Errorf("reading %s: %w", x.path, err)
}

// streamErr reports the error recorded while reading the underlying stream.
func (x *idxFile) streamErr() error {
	if x.gz {
		return fmt.Errorf("reading %s: truncated or corrupt gzip data after %d decompressed bytes: %w",
			x.path, x.read, x.src.err)
	}
	return fmt.Errorf("reading %s: %w", x.path, x.src.err)
}

// header reads the magic number and the dimensions that follow it. The
// number of dimensions is the low byte of magic.
func (x *idxFile) header(magic uint32) ([]int64, error) {
	var buf [4]byte
	if err := x.readFull(buf[:], "header"); err != nil {
		return nil, err
	}
	if got := binary.BigEndian.Uint32(buf[:]); got != magic {
		return nil, fmt.Errorf("reading %s: unexpected magic 0x%08x, want 0x%08x", x.path, got, magic)
	}
	dims := make([]int64, magic&0xff)
	for i := range dims {
		if err := x.readFull(buf[:], "header"); err != nil {
			return nil, err
		}
		dims[i] = int64(binary.BigEndian.Uint32(buf[:]))
	}
	return dims, nil
}

// payload reads the remaining want bytes of the file and checks that nothing
// follows them. Memory grows with the data actually present, not with want,
// so a header claiming a huge count cannot cause a huge allocation.
func (x *idxFile) payload(want int64, desc string) ([]byte, error) {
	if !x.gz {
		// The size is known up front.
		if have := x.size - x.read; have != want {
			if have < want {
				return nil, fmt.Errorf("reading %s: truncated payload: header says %s (%d bytes) but the file holds %d bytes after the header",
					x.path, desc, want, have)
			}
			return nil, fmt.Errorf("reading %s: trailing data: header says %s (%d bytes) but the file holds %d bytes after the header",
				x.path, desc, want, have)
		}
	}
	if want >= math.MaxInt {
		return nil, fmt.Errorf("reading %s: header says %s (%d bytes), too large for this platform", x.path, desc, want)
	}
	// Read one byte more than wanted to detect trailing data; for gzip this
	// also reaches the end of the stream, where the checksum is verified.
	limit := want + 1
	capacity := limit
	if x.gz {
		// What a header claims is not reserved: memory grows with the data
		// that really follows (by doubling, so at most about twice it).
		capacity = min(capacity, x.size*maxDeflateRatio, 64<<20)
	}
	buf := make([]byte, 0, int(capacity))
	r := io.LimitReader(&x.src, limit)
	for {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		n, err := r.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		x.read += int64(n)
		if err == io.EOF {
			break
		}
		if err != nil {
			if x.src.err != nil {
				return nil, x.streamErr()
			}
			return nil, fmt.Errorf("reading %s: %w", x.path, err)
		}
	}
	switch got := int64(len(buf)); {
	case got < want:
		return nil, fmt.Errorf("reading %s: truncated payload: header says %s (%d bytes) but only %d bytes follow the header",
			x.path, desc, want, got)
	case got > want:
		return nil, fmt.Errorf("reading %s: trailing data after the %d-byte payload (%s)", x.path, want, desc)
	}
	return buf[:len(buf):len(buf)], nil
}
